package dev.myelin.nn;

import dev.myelin.spi.UpdateRule;

/**
 * Keras 3 Adamax: learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. Only the first moment
 * is bias-corrected: step size {@code lr / (1 - b1^t)}.
 */
public final class Adamax extends MomentEstimateOptimizer {

    /** Keras's defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public Adamax() {
        this(0.001f);
    }

    /**
     * Keras's defaults but the learning rate.
     *
     * @param learningRate the learning rate, positive
     */
    public Adamax(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-7f);
    }

    /**
     * Every hyperparameter, under Keras's names.
     *
     * @param learningRate the learning rate, positive
     * @param beta1 the decay rate of the first moment, in [0, 1)
     * @param beta2 the decay rate of the infinity norm, in [0, 1)
     * @param epsilon the constant added for numerical stability
     */
    public Adamax(float learningRate, float beta1, float beta2, float epsilon) {
        super(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public String name() {
        return "adamax";
    }

    @Override
    public UpdateRule rule() {
        return UpdateRule.ADAMAX;
    }

    @Override
    protected double stepSize(long t) {
        return learningRate() / (1 - Math.pow(beta1, t));
    }
}
