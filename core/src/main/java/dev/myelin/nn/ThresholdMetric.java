package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.Map;

/**
 * A metric computed from {@link ConfusionCounts} at one or more thresholds. With one threshold its
 * result is one number; with several, {@link #results()} holds one per threshold (Keras returns the
 * vector) and the history gets one key per threshold, {@code name@threshold}. In fit and evaluate of a
 * single-output model (without top_k or class_id) the counts accumulate on the device
 * ({@link DeviceConfusion}); otherwise each batch is read back to the host.
 */
abstract class ThresholdMetric extends ConfusionMetric {

    final ConfusionCounts counts;

    ThresholdMetric(String name, double[] thresholds, int topK, int classId) {
        super(name);
        this.counts = new ConfusionCounts(name, thresholds, topK, classId);
    }

    /** The value at threshold {@code k} of the counts {@code c}. */
    abstract double valueAt(ConfusionCounts c, int k);

    /** The counts so far: the host's, plus the device's when fit or evaluate counted there. */
    private ConfusionCounts snapshot() {
        if (device == null) {
            return counts;
        }
        ConfusionCounts c = counts.copy();
        device.addTo(c);
        return c;
    }

    /**
     * One value per threshold.
     *
     * @return a new array with the metric's value at each threshold, in the order of the thresholds
     */
    public final double[] results() {
        ConfusionCounts c = snapshot();
        double[] r = new double[c.thresholds.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = valueAt(c, k);
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
        return results()[0];
    }

    @Override
    void addLogs(Map<String, Double> logs) {
        double[] r = results();
        if (r.length == 1) {
            logs.put(name(), r[0]);
        } else {
            for (int k = 0; k < r.length; k++) {
                logs.put(name() + "@" + counts.thresholds[k], r[k]);
            }
        }
    }

    @Override
    void bind(Backend b, int outputs, Loss loss) {
        release();
        resetState();
        if (outputs == 1 && counts.plain()) {
            countOnDevice(new DeviceConfusion(b, 1f, counts.thresholds));
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
        if (device != null) {
            device.reset();
        }
    }

    /** Keras's thresholds argument: null means the single default. */
    static double[] thresholdsOr(double[] thresholds, double fallback) {
        return thresholds == null ? new double[] {fallback} : thresholds.clone();
    }
}
