package dev.myelin.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One point of a hyper-parameter search: the model (architecture, optimizer, learning rate, seed) and
 * how to fit it. A trial is exactly {@code spec.build(backend).fit(x, y, epochs, batchSize, shuffle)}.
 *
 * @param spec      the compiled model spec
 * @param epochs    epochs to train (>= 1)
 * @param batchSize rows per step (>= 1)
 * @param shuffle   whether each epoch visits the rows in a seeded random order (Keras's default: true)
 */
public record TrialConfig(ModelSpec spec, int epochs, int batchSize, boolean shuffle) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks the arguments. */
    public TrialConfig {
        Objects.requireNonNull(spec, "TrialConfig: argument 'spec' is null");
        if (!spec.compiled()) {
            throw new IllegalArgumentException("TrialConfig: argument 'spec' must be compiled (optimizer and loss),"
                    + " got " + spec);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("TrialConfig: argument 'epochs' must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("TrialConfig: argument 'batchSize' must be >= 1, got " + batchSize);
        }
    }
}
