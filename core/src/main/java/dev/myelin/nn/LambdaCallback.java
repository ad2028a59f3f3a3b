package dev.myelin.nn;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Keras 3's {@code LambdaCallback}: a callback made of optional lambdas, one per hook.
 *
 * <pre>{@code
 * Callback printer = LambdaCallback.builder()
 *         .onEpochEnd((epoch, logs) -> System.out.println(epoch + " " + logs.get("loss")))
 *         .build();
 * }</pre>
 *
 * A lambda given to {@link Builder#onTrainBatchEnd} receives the running logs of the epoch, which fit reads
 * from the device after every step for it (as Keras passes them); the other hooks cost nothing.
 */
public final class LambdaCallback implements Callback {

    private final Consumer<Sequential> trainBegin;
    private final IntConsumer epochBegin;
    private final IntConsumer trainBatchBegin;
    private final BiConsumer<Integer, Map<String, Double>> trainBatchEnd;
    private final BiConsumer<Integer, Map<String, Double>> epochEnd;
    private final Consumer<Map<String, Double>> trainEnd;

    private LambdaCallback(Builder b) {
        this.trainBegin = b.trainBegin;
        this.epochBegin = b.epochBegin;
        this.trainBatchBegin = b.trainBatchBegin;
        this.trainBatchEnd = b.trainBatchEnd;
        this.epochEnd = b.epochEnd;
        this.trainEnd = b.trainEnd;
    }

    /**
     * A builder with no hooks set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onTrainBegin(Sequential model) {
        if (trainBegin != null) {
            trainBegin.accept(model);
        }
    }

    @Override
    public void onEpochBegin(int epoch) {
        if (epochBegin != null) {
            epochBegin.accept(epoch);
        }
    }

    @Override
    public void onTrainBatchBegin(int batch) {
        if (trainBatchBegin != null) {
            trainBatchBegin.accept(batch);
        }
    }

    @Override
    public boolean needsBatchLogs() {
        return trainBatchEnd != null;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        if (trainBatchEnd != null) {
            trainBatchEnd.accept(batch, logs);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (epochEnd != null) {
            epochEnd.accept(epoch, logs);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (trainEnd != null) {
            trainEnd.accept(logs);
        }
    }

    /** Collects the hooks of a {@link LambdaCallback}; each is optional, as Keras's keyword arguments. */
    public static final class Builder {

        private Consumer<Sequential> trainBegin;
        private IntConsumer epochBegin;
        private IntConsumer trainBatchBegin;
        private BiConsumer<Integer, Map<String, Double>> trainBatchEnd;
        private BiConsumer<Integer, Map<String, Double>> epochEnd;
        private Consumer<Map<String, Double>> trainEnd;

        private Builder() {
        }

        /**
         * Keras's {@code on_train_begin}.
         *
         * @param hook called with the model when fit starts
         * @return this builder
         */
        public Builder onTrainBegin(Consumer<Sequential> hook) {
            this.trainBegin = hook;
            return this;
        }

        /**
         * Keras's {@code on_epoch_begin}.
         *
         * @param hook called with the epoch, from 0
         * @return this builder
         */
        public Builder onEpochBegin(IntConsumer hook) {
            this.epochBegin = hook;
            return this;
        }

        /**
         * Keras's {@code on_train_batch_begin}.
         *
         * @param hook called with the batch within the epoch, from 0
         * @return this builder
         */
        public Builder onTrainBatchBegin(IntConsumer hook) {
            this.trainBatchBegin = hook;
            return this;
        }

        /**
         * Keras's {@code on_train_batch_end}; setting it makes fit read the running logs after every step.
         *
         * @param hook called with the batch, from 0, and the epoch's running logs
         * @return this builder
         */
        public Builder onTrainBatchEnd(BiConsumer<Integer, Map<String, Double>> hook) {
            this.trainBatchEnd = hook;
            return this;
        }

        /**
         * Keras's {@code on_epoch_end}.
         *
         * @param hook called with the epoch, from 0, and its logs
         * @return this builder
         */
        public Builder onEpochEnd(BiConsumer<Integer, Map<String, Double>> hook) {
            this.epochEnd = hook;
            return this;
        }

        /**
         * Keras's {@code on_train_end}.
         *
         * @param hook called with the last epoch's logs when fit ends
         * @return this builder
         */
        public Builder onTrainEnd(Consumer<Map<String, Double>> hook) {
            this.trainEnd = hook;
            return this;
        }

        /**
         * The callback with the hooks set so far.
         *
         * @return a new callback
         */
        public LambdaCallback build() {
            return new LambdaCallback(this);
        }
    }
}
