package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;

/**
 * Keras 3's {@code keras.metrics.SparseTopKCategoricalAccuracy(k=5)}: top-k accuracy with integer class
 * labels. {@code y_true} is {@code [batch x 1]} holding class indices; a {@code y_true} shaped like
 * {@code y_pred} is read as one-hot (that is what fit passes, since the sparse losses one-hot encode the
 * labels when a batch is staged). Ties and non-finite rows as {@link TopKCategoricalAccuracy}.
 */
public final class SparseTopKCategoricalAccuracy extends TopKCategoricalAccuracy {

    /** Keras's default k = 5. */
    public SparseTopKCategoricalAccuracy() {
        this(5);
    }

    /**
     * The top-{@code k} accuracy on class indices.
     *
     * @param k how many of the largest predictions may hold the true class for a hit, &gt;= 1
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public SparseTopKCategoricalAccuracy(int k) {
        this("sparse_top_k_categorical_accuracy", k);
    }

    /**
     * The top-{@code k} accuracy on class indices with the history key {@code name}.
     *
     * @param name the metric's name, its key in the history and logs
     * @param k how many of the largest predictions may hold the true class for a hit, &gt;= 1
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public SparseTopKCategoricalAccuracy(String name, int k) {
        super(name, k);
    }

    @Override
    public void updateState(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
        if (yTrue != null && yPred != null && yTrue.cols() == 1 && yPred.cols() != 1) {
            checkBatch(new FloatMatrix(yTrue.rows(), yPred.cols(), new float[yTrue.rows() * yPred.cols()]), yPred,
                    sampleWeight);
            for (int r = 0; r < yPred.rows(); r++) {
                float label = yTrue.data()[r];
                if (label != Math.rint(label)) {
                    throw new IllegalArgumentException(name() + ": argument 'y_true' must hold class indices, got "
                            + label + " in row " + r);
                }
                add(yPred, r, (int) label, sampleWeight);
            }
        } else {
            super.updateState(yTrue, yPred, sampleWeight);
        }
    }
}
