package dev.myelin.data;

import java.util.Objects;

/**
 * Turns class indices {@code 0..k-1} into one-hot rows of a {@code [n x k]} matrix (the targets of
 * categorical cross-entropy) and back (each row's arg-max).
 */
public final class OneHotEncoder {

    private final int classCount;

    /**
     * An encoder for {@code classCount} classes.
     *
     * @param classCount the number of classes, at least 1
     */
    public OneHotEncoder(int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount: expected >= 1, got " + classCount);
        }
        this.classCount = classCount;
    }

    /**
     * An encoder for classes {@code 0..max(labels)}.
     *
     * @param labels class indices, non-negative
     * @return a new encoder
     */
    public static OneHotEncoder fit(int[] labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length == 0) {
            throw new IllegalArgumentException("labels: expected at least one label to fit, got none");
        }
        int max = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("labels: expected class indices >= 0, got " + labels[i] + " at " + i);
            }
            max = Math.max(max, labels[i]);
        }
        return new OneHotEncoder(max + 1);
    }

    /**
     * Number of classes (columns of the one-hot matrix).
     *
     * @return the class count
     */
    public int classCount() {
        return classCount;
    }

    /**
     * {@code [labels.length x classCount]}: row i is 1 at column {@code labels[i]}, 0 elsewhere.
     *
     * @param labels class indices, each in {@code 0..classCount()-1}
     * @return a new matrix
     */
    public FloatMatrix transform(int[] labels) {
        Objects.requireNonNull(labels, "labels");
        FloatMatrix out = FloatMatrix.zeros(labels.length, classCount);
        float[] data = out.data();
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (c < 0 || c >= classCount) {
                throw new IllegalArgumentException("labels: expected class indices 0.." + (classCount - 1)
                        + ", got " + c + " at " + i);
            }
            data[i * classCount + c] = 1f;
        }
        return out;
    }

    /**
     * The column of each row's largest value (the first on ties): the class a one-hot or softmax row picks.
     *
     * @param oneHot {@code [n x classCount]}
     * @return one class index per row
     */
    public int[] inverseTransform(FloatMatrix oneHot) {
        Objects.requireNonNull(oneHot, "oneHot");
        if (oneHot.cols() != classCount) {
            throw new IllegalArgumentException("oneHot: expected [n x " + classCount + "], got [" + oneHot.rows()
                    + " x " + oneHot.cols() + "]");
        }
        int[] out = new int[oneHot.rows()];
        float[] data = oneHot.data();
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            float bestValue = data[i * classCount];
            for (int c = 1; c < classCount; c++) {
                if (data[i * classCount + c] > bestValue) {
                    bestValue = data[i * classCount + c];
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
