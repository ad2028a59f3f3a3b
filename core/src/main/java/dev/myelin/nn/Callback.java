package dev.myelin.nn;

import java.util.Map;

/**
 * Hooks into {@link Sequential#fit}, as Keras 3 callbacks. Epochs are 0-based and a fit's first epoch is
 * {@link FitOptions#initialEpoch} (0 unless set, or the epoch a {@link BackupAndRestore} resumes at), as in
 * Keras; batches are 0-based within their epoch. {@code logs} holds the values under their history keys; a callback may add keys to an
 * epoch's logs (as {@code ReduceLROnPlateau} adds {@code learning_rate}), and the history and progress
 * line, which come after the user's callbacks as in Keras, show them. Stop training with
 * {@link Sequential#stopTraining(boolean)}.
 *
 * <p>The batch hooks cost nothing unless a callback asks for values: fit reads the device only for a
 * callback whose {@link #needsBatchLoss()} (one scalar a step) or {@link #needsBatchLogs()} (the running
 * loss and metrics, one read per value a step) is true.
 */
public interface Callback {

    /**
     * Called once when {@code fit} starts, before the first epoch.
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
     * Called before each training batch (Keras's {@code on_train_batch_begin}); no device read.
     *
     * @param batch the batch within the epoch, from 0
     */
    default void onTrainBatchBegin(int batch) {
    }

    /**
     * Called after each training batch (Keras's {@code on_train_batch_end}). {@code logs} holds the running
     * mean of the epoch's loss and metrics so far when some callback's {@link #needsBatchLogs()} is true,
     * else it is empty.
     *
     * @param batch the batch within the epoch, from 0
     * @param logs the epoch's values so far by history key, or an empty map; read-only
     */
    default void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    }

    /**
     * True when this callback needs the running logs in {@link #onTrainBatchEnd}: fit then reads the loss
     * and every metric after each step.
     *
     * @return true to receive filled batch logs
     */
    default boolean needsBatchLogs() {
        return false;
    }

    /**
     * True when this callback needs each batch's own loss: fit then reads one scalar per step (it otherwise
     * reads the loss once per epoch).
     *
     * @return true to receive {@link #onBatchEnd}
     */
    default boolean needsBatchLoss() {
        return false;
    }

    /**
     * The loss of batch {@code step} alone (weight penalties included), not the epoch's running mean; only
     * called when {@link #needsBatchLoss()}.
     *
     * @param epoch the epoch, from 0
     * @param step the batch within the epoch, from 0
     * @param loss the batch's loss
     */
    default void onBatchEnd(int epoch, int step, double loss) {
    }

    /** Called before the validation of an epoch (Keras's {@code on_test_begin} inside fit). */
    default void onTestBegin() {
    }

    /**
     * Called after the validation of an epoch with its values, without the {@code val_} prefix (Keras's
     * {@code on_test_end} inside fit).
     *
     * @param logs the validation loss and metrics by name
     */
    default void onTestEnd(Map<String, Double> logs) {
    }

    /**
     * Called when an epoch ends, after validation.
     *
     * @param epoch the epoch, from 0
     * @param logs the epoch's values by history key; callbacks may add keys
     */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /**
     * Called once when {@code fit} ends, also after {@link Sequential#stopTraining()}; not called when a
     * callback or a step throws (as in Keras).
     *
     * @param logs the last epoch's values by history key
     */
    default void onTrainEnd(Map<String, Double> logs) {
    }
}
