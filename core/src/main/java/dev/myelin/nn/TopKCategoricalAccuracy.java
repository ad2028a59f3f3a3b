package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;

/**
 * Keras 3's {@code keras.metrics.TopKCategoricalAccuracy(k=5)}: the weighted fraction of samples whose
 * true class (the argmax of the one-hot {@code y_true} row) is among the k largest predictions. As
 * TensorFlow's {@code in_top_k}, which Keras calls: a class is in the top k when fewer than k
 * predictions are strictly larger than its own (so ties at the boundary count in), and a row with a
 * non-finite prediction counts as a miss. Accumulated on the host.
 */
public class TopKCategoricalAccuracy extends Metric {

    private final int k;
    private double hits;
    private double total;

    /** Keras's default k = 5. */
    public TopKCategoricalAccuracy() {
        this(5);
    }

    /**
     * The top-{@code k} accuracy.
     *
     * @param k how many of the largest predictions may hold the true class for a hit, &gt;= 1
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public TopKCategoricalAccuracy(int k) {
        this("top_k_categorical_accuracy", k);
    }

    /**
     * The top-{@code k} accuracy with the history key {@code name} (Keras's {@code name}).
     *
     * @param name the metric's name, its key in the history and logs
     * @param k how many of the largest predictions may hold the true class for a hit, &gt;= 1
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public TopKCategoricalAccuracy(String name, int k) {
        super(name);
        if (k < 1) {
            throw new IllegalArgumentException(name + ": argument 'k' must be >= 1, got " + k);
        }
        this.k = k;
    }

    /**
     * The k of top-k.
     *
     * @return k, &gt;= 1
     */
    public final int k() {
        return k;
    }

    @Override
    public void updateState(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
        checkBatch(yTrue, yPred, sampleWeight);
        int cols = yPred.cols();
        for (int r = 0; r < yPred.rows(); r++) {
            add(yPred, r, argmax(yTrue.data(), r * cols, cols), sampleWeight);
        }
    }

    /** Counts sample {@code r} with true class {@code label}. */
    final void add(FloatMatrix yPred, int r, int label, float[] sampleWeight) {
        double w = sampleWeight == null ? 1.0 : sampleWeight[r];
        total += w;
        if (inTopK(yPred.data(), r * yPred.cols(), yPred.cols(), label, k)) {
            hits += w;
        }
    }

    /** TensorFlow's {@code in_top_k} for one row. */
    static boolean inTopK(float[] p, int offset, int cols, int label, int k) {
        if (label < 0 || label >= cols) {
            return false;
        }
        float target = p[offset + label];
        int larger = 0;
        for (int j = 0; j < cols; j++) {
            float x = p[offset + j];
            if (!Float.isFinite(x)) {
                return false;
            }
            if (x > target) {
                larger++;
            }
        }
        return larger < k;
    }

    /** The first index of the row's largest value (NaN ranks first). */
    static int argmax(float[] a, int offset, int cols) {
        int best = 0;
        for (int j = 1; j < cols; j++) {
            float x = a[offset + j];
            float b = a[offset + best];
            if (x > b || (Float.isNaN(x) && !Float.isNaN(b))) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public final double result() {
        return total == 0 ? 0.0 : hits / total;
    }

    @Override
    public final void resetState() {
        hits = 0;
        total = 0;
    }
}
