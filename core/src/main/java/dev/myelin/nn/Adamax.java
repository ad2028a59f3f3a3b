package dev.myelin.nn;

import dev.myelin.spi.UpdateRule;

/** Keras 3 Adamax: learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
public final class Adamax extends Optimizer {

    private final float beta1;
    private final float beta2;
    private final float epsilon;

    public Adamax() {
        this(0.001f);
    }

    public Adamax(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-7f);
    }

    public Adamax(float learningRate, float beta1, float beta2, float epsilon) {
        super(learningRate, 4);
        this.beta1 = checkUnit("beta_1", beta1);
        this.beta2 = checkUnit("beta_2", beta2);
        this.epsilon = checkNonNegative("epsilon", epsilon);
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
    protected void prepare(long t) {
        c[0] = (float) (learningRate() / (1 - Math.pow(beta1, t)));
        c[1] = beta1;
        c[2] = beta2;
        c[3] = epsilon;
    }
}
