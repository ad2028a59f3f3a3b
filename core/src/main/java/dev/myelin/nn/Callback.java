package dev.myelin.nn;

import java.util.Map;

/**
 * Hooks into {@link Sequential#fit}, as Keras callbacks. Epochs are 0-based as in Keras; {@code logs}
 * holds the epoch's values under their history keys. Stop training with {@link Sequential#stopTraining()}.
 */
public interface Callback {

    default void onTrainBegin(Sequential model) {
    }

    default void onEpochBegin(int epoch) {
    }

    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    default void onTrainEnd(Map<String, Double> logs) {
    }

    /**
     * True when this callback needs each batch's loss: fit then reads one scalar per step (it otherwise
     * reads the loss once per epoch).
     */
    default boolean needsBatchLoss() {
        return false;
    }

    /** The loss of batch {@code step} (0-based within the epoch); only called when {@link #needsBatchLoss()}. */
    default void onBatchEnd(int epoch, int step, double loss) {
    }
}
