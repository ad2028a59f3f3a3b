package dev.myelin.nn;

/**
 * Keras 3's {@code TruePositives}, {@code FalsePositives}, {@code TrueNegatives} and
 * {@code FalseNegatives}: the weighted count of one cell of the confusion matrix at each threshold
 * (default 0.5; a label is positive when non-zero, a prediction when above the threshold).
 */
public final class ConfusionCount extends ThresholdMetric {

    /** Which cell is counted. */
    private enum Cell { TP, FP, TN, FN }

    private final Cell cell;

    private ConfusionCount(String name, Cell cell, double[] thresholds) {
        super(name, thresholdsOr(thresholds, 0.5), 0, -1);
        this.cell = cell;
    }

    /**
     * {@code keras.metrics.TruePositives(thresholds)}; no thresholds means 0.5.
     *
     * @param thresholds the thresholds a prediction must exceed to count as positive; none (or null) for 0.5
     * @return a metric counting the weighted true positives at each threshold
     */
    public static ConfusionCount truePositives(double... thresholds) {
        return new ConfusionCount("true_positives", Cell.TP, empty(thresholds));
    }

    /**
     * {@code keras.metrics.FalsePositives(thresholds)}; no thresholds means 0.5.
     *
     * @param thresholds the thresholds a prediction must exceed to count as positive; none (or null) for 0.5
     * @return a metric counting the weighted false positives at each threshold
     */
    public static ConfusionCount falsePositives(double... thresholds) {
        return new ConfusionCount("false_positives", Cell.FP, empty(thresholds));
    }

    /**
     * {@code keras.metrics.TrueNegatives(thresholds)}; no thresholds means 0.5.
     *
     * @param thresholds the thresholds a prediction must exceed to count as positive; none (or null) for 0.5
     * @return a metric counting the weighted true negatives at each threshold
     */
    public static ConfusionCount trueNegatives(double... thresholds) {
        return new ConfusionCount("true_negatives", Cell.TN, empty(thresholds));
    }

    /**
     * {@code keras.metrics.FalseNegatives(thresholds)}; no thresholds means 0.5.
     *
     * @param thresholds the thresholds a prediction must exceed to count as positive; none (or null) for 0.5
     * @return a metric counting the weighted false negatives at each threshold
     */
    public static ConfusionCount falseNegatives(double... thresholds) {
        return new ConfusionCount("false_negatives", Cell.FN, empty(thresholds));
    }

    private static double[] empty(double[] thresholds) {
        return thresholds == null || thresholds.length == 0 ? null : thresholds;
    }

    @Override
    double valueAt(ConfusionCounts counts, int k) {
        return switch (cell) {
            case TP -> counts.tp[k];
            case FP -> counts.fp[k];
            case TN -> counts.tn[k];
            case FN -> counts.fn[k];
        };
    }
}
