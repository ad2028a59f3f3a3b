package dev.myelin.nn;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The callbacks of one {@code fit}, called in order (Keras's {@code CallbackList}). It knows what the
 * callbacks ask to read after each step, so that a fit whose callbacks need nothing reads nothing.
 */
final class CallbackList {

    /** An array, so that the per-step calls iterate without allocating. */
    private final Callback[] callbacks;
    private final boolean batchLoss;
    private final boolean batchLogs;

    CallbackList(List<Callback> callbacks) {
        this.callbacks = callbacks.toArray(new Callback[0]);
        this.batchLoss = callbacks.stream().anyMatch(Callback::needsBatchLoss);
        this.batchLogs = callbacks.stream().anyMatch(Callback::needsBatchLogs);
    }

    void trainBegin(Sequential model) {
        for (Callback c : callbacks) {
            c.onTrainBegin(model);
        }
    }

    void epochBegin(int epoch) {
        for (Callback c : callbacks) {
            c.onEpochBegin(epoch);
        }
    }

    void trainBatchBegin(int batch) {
        for (int i = 0; i < callbacks.length; i++) {
            callbacks[i].onTrainBatchBegin(batch);
        }
    }

    /**
     * After the step of {@code batch}: the batch loss and the running logs are read only when a callback
     * asked for them; {@code samples} is the number of samples trained on in the epoch so far.
     */
    void trainBatchEnd(StepRunner steps, int epoch, int batch, int samples) {
        if (callbacks.length == 0) {
            return;
        }
        if (batchLoss) {
            double loss = steps.readScalar(steps.stepLoss);
            for (int i = 0; i < callbacks.length; i++) {
                if (callbacks[i].needsBatchLoss()) {
                    callbacks[i].onBatchEnd(epoch, batch, loss);
                }
            }
        }
        Map<String, Double> logs = batchLogs ? Collections.unmodifiableMap(steps.currentLogs(samples)) : Map.of();
        for (int i = 0; i < callbacks.length; i++) {
            callbacks[i].onTrainBatchEnd(batch, logs);
        }
    }

    void testBegin() {
        for (Callback c : callbacks) {
            c.onTestBegin();
        }
    }

    void testEnd(Map<String, Double> logs) {
        Map<String, Double> view = Collections.unmodifiableMap(logs);
        for (Callback c : callbacks) {
            c.onTestEnd(view);
        }
    }

    void epochEnd(int epoch, Map<String, Double> logs) {
        for (Callback c : callbacks) {
            c.onEpochEnd(epoch, logs);
        }
    }

    void trainEnd(Map<String, Double> logs) {
        for (Callback c : callbacks) {
            c.onTrainEnd(logs);
        }
    }
}
