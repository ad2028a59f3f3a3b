package dev.myelin.spark;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one trial of a {@link MyelinTuner} search.
 *
 * @param index   the trial's position in the list of configs
 * @param config  what was fitted
 * @param metrics the last epoch's training loss and metrics, and the validation ones prefixed {@code val_}
 * @param weights the trained weights as safetensors bytes
 */
public record Trial(int index, TrialConfig config, Map<String, Double> metrics, byte[] weights) {

    /** Copies the metrics. */
    public Trial {
        Objects.requireNonNull(config, "Trial: argument 'config' is null");
        metrics = Map.copyOf(metrics);
        Objects.requireNonNull(weights, "Trial: argument 'weights' is null");
    }

    /** The trained model, ready to score. */
    public MyelinModel model() {
        return new MyelinModel(new ModelBlob(config.spec(), weights));
    }

    /** The value of {@code metric}, or NaN when the trial did not record it. */
    public double metric(String metric) {
        return metrics.getOrDefault(metric, Double.NaN);
    }
}
