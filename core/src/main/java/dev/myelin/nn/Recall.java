package dev.myelin.nn;

/**
 * Keras 3's {@code keras.metrics.Recall(thresholds, top_k, class_id)}: {@code tp / (tp + fn)} at each threshold
 * (0 where nothing was counted, Keras's {@code divide_no_nan}). Defaults: threshold 0.5, or, with
 * {@code topK}, Keras's NEG_INF (the k largest predictions of a row count as positive); {@code classId}
 * restricts the counts to one column. Accumulated on the host; the string {@code "recall"} in compile is
 * the device metric with Keras's defaults instead, which reads nothing back per step.
 */
public final class Recall extends ThresholdMetric {

    /** Keras's defaults: threshold 0.5, every column. */
    public Recall() {
        this(null, 0, -1);
    }

    /**
     * {@code thresholds} (null: the default), {@code topK} (0: none) and {@code classId} (-1: every
     * column), as Keras's {@code thresholds}, {@code top_k} and {@code class_id}.
     *
     * @param thresholds the thresholds a prediction must exceed to count as positive, or null for 0.5
     *     (Keras's NEG_INF with {@code topK})
     * @param topK how many of a row's largest predictions may count as positive, or 0 for no such limit
     * @param classId the only column counted, or -1 for every column
     */
    public Recall(double[] thresholds, int topK, int classId) {
        this("recall", thresholds, topK, classId);
    }

    /**
     * As {@link #Recall(double[], int, int)}, with the history key {@code name} (Keras's {@code name}).
     *
     * @param name the metric's name, its key in the history and logs
     * @param thresholds the thresholds a prediction must exceed to count as positive, or null for 0.5
     *     (Keras's NEG_INF with {@code topK})
     * @param topK how many of a row's largest predictions may count as positive, or 0 for no such limit
     * @param classId the only column counted, or -1 for every column
     */
    public Recall(String name, double[] thresholds, int topK, int classId) {
        super(name, thresholdsOr(thresholds, topK > 0 ? ConfusionCounts.NEG_INF : 0.5), topK, classId);
    }

    @Override
    double valueAt(ConfusionCounts counts, int k) {
        return ConfusionCounts.divideNoNan(counts.tp[k], counts.tp[k] + counts.fn[k]);
    }
}
