package dev.myelin.nn;

/**
 * Keras 3 AdamW ({@code keras.optimizers.AdamW}): Adam with decoupled weight decay, weight_decay 0.004
 * by default (learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7, amsgrad false). The decay is
 * the one every optimizer takes ({@link #weightDecay(float)}): {@code w -= w * weight_decay * lr}
 * before the Adam update.
 */
public final class AdamW extends Adam {

    /** Keras's defaults. */
    public AdamW() {
        this(0.001f, 0.004f);
    }

    /**
     * AdamW with {@code learning_rate} and {@code weight_decay}, the other hyperparameters at Keras's defaults.
     *
     * @param learningRate Keras's {@code learning_rate}, positive (0.001 by default)
     * @param weightDecay Keras's {@code weight_decay}, the decoupled decay factor, non-negative (0.004 by default)
     */
    public AdamW(float learningRate, float weightDecay) {
        this(learningRate, weightDecay, 0.9f, 0.999f, 1e-7f);
    }

    /**
     * AdamW with every hyperparameter.
     *
     * @param learningRate Keras's {@code learning_rate}, positive
     * @param weightDecay Keras's {@code weight_decay}, the decoupled decay factor, non-negative
     * @param beta1 Keras's {@code beta_1}, the decay rate of the first moment, in [0, 1)
     * @param beta2 Keras's {@code beta_2}, the decay rate of the second moment, in [0, 1)
     * @param epsilon Keras's {@code epsilon}, the constant added for numerical stability, non-negative
     */
    public AdamW(float learningRate, float weightDecay, float beta1, float beta2, float epsilon) {
        super(learningRate, beta1, beta2, epsilon);
        weightDecay(weightDecay);
    }

    @Override
    public String name() {
        return "adamw";
    }
}
