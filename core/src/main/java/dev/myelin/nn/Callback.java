package dev.myelin.nn;

import java.util.Map;

/**
 * Hooks into {@link Sequential#fit}, as Keras callbacks. Epochs are 0-based as in Keras; {@code logs}
 * holds the epoch's values under their history keys. Stop training with {@link Sequential#stopTraining()}.
 */
public interface Callback {

    /**
     * Called once when {@code fit} starts.
     *
     * @param model the model being trained
     */
    default void onTrainBegin(Sequential model) {
    }

    /**
     * Called when an epoch starts.
     *
     * @param epoch the epoch, from 0
     */
    default void onEpochBegin(int epoch) {
    }

    /**
     * Called when an epoch ends, after validation.
     *
     * @param epoch the epoch, from 0
     * @param logs the epoch's values by history key
     */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /**
     * Called once when {@code fit} ends, also after {@link Sequential#stopTraining()}.
     *
     * @param logs the last epoch's values by history key
     */
    default void onTrainEnd(Map<String, Double> logs) {
    }

    /**
     * True when this callback needs each batch's loss: fit then reads one scalar per step (it otherwise
     * reads the loss once per epoch).
     *
     * @return true to receive {@link #onBatchEnd}
     */
    default boolean needsBatchLoss() {
        return false;
    }

    /**
     * The loss of batch {@code step} (0-based within the epoch); only called when {@link #needsBatchLoss()}.
     *
     * @param epoch the epoch, from 0
     * @param step the batch within the epoch, from 0
     * @param loss the batch's loss
     */
    default void onBatchEnd(int epoch, int step, double loss) {
    }
}
