package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.util.Map;

/**
 * A metric computed from {@link ConfusionCounts} at one or more thresholds. With one threshold its
 * result is one number; with several, {@link #results()} holds one per threshold (Keras returns the
 * vector) and the history gets one key per threshold, {@code name@threshold}.
 */
abstract class ThresholdMetric extends Metric {

    final ConfusionCounts counts;

    ThresholdMetric(String name, double[] thresholds, int topK, int classId) {
        super(name);
        this.counts = new ConfusionCounts(name, thresholds, topK, classId);
    }

    /** The value at threshold {@code k}. */
    abstract double valueAt(int k);

    /** One value per threshold. */
    public final double[] results() {
        double[] r = new double[counts.thresholds.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = valueAt(k);
        }
        return r;
    }

    /** The value at the only threshold; with several thresholds, use {@link #results()}. */
    @Override
    public final double result() {
        if (counts.thresholds.length != 1) {
            throw new IllegalStateException("metric '" + name() + "' has " + counts.thresholds.length
                    + " thresholds; read results() for one value per threshold");
        }
        return valueAt(0);
    }

    @Override
    void addLogs(Map<String, Double> logs) {
        if (counts.thresholds.length == 1) {
            logs.put(name(), valueAt(0));
        } else {
            for (int k = 0; k < counts.thresholds.length; k++) {
                logs.put(name() + "@" + counts.thresholds[k], valueAt(k));
            }
        }
    }

    @Override
    public void updateState(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
        checkBatch(yTrue, yPred, sampleWeight);
        counts.add(name(), yTrue, yPred, sampleWeight);
    }

    @Override
    public void resetState() {
        counts.reset();
    }

    /** Keras's thresholds argument: null means the single default. */
    static double[] thresholdsOr(double[] thresholds, double fallback) {
        return thresholds == null ? new double[] {fallback} : thresholds.clone();
    }
}
