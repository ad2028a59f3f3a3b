package dev.myelin.nn;

import dev.myelin.spi.UpdateRule;
import java.util.Map;

/**
 * Keras 3 Nadam: learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7, with Keras's momentum
 * schedule {@code u_t = beta_1 (1 - 0.5 * 0.96^t)} and the running product of the {@code u_t}.
 */
public final class Nadam extends Optimizer {

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    /** prod_{i <= t} u_i after the last prepared step. */
    private double uProduct = 1.0;
    private long preparedStep;

    /** Keras's defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public Nadam() {
        this(0.001f);
    }

    /**
     * Keras's defaults but the learning rate.
     *
     * @param learningRate the learning rate, positive
     */
    public Nadam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-7f);
    }

    /**
     * Every hyperparameter, under Keras's names.
     *
     * @param learningRate the learning rate, positive
     * @param beta1 the decay rate of the first moment, in [0, 1)
     * @param beta2 the decay rate of the second moment, in [0, 1)
     * @param epsilon the constant added for numerical stability
     */
    public Nadam(float learningRate, float beta1, float beta2, float epsilon) {
        super(learningRate, 7);
        this.beta1 = checkUnit("beta_1", beta1);
        this.beta2 = checkUnit("beta_2", beta2);
        this.epsilon = checkNonNegative("epsilon", epsilon);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta_1", (double) beta1);
        c.put("beta_2", (double) beta2);
        c.put("epsilon", (double) epsilon);
        return c;
    }

    @Override
    public String name() {
        return "nadam";
    }

    @Override
    public UpdateRule rule() {
        return UpdateRule.NADAM;
    }

    @Override
    protected void reset() {
        super.reset();
        uProduct = 1.0;
        preparedStep = 0;
    }

    @Override
    protected void prepare(long t) {
        if (t != preparedStep + 1) {
            // The product runs over every step from 1; recompute it when steps are not consecutive.
            uProduct = 1.0;
            for (long i = 1; i < t; i++) {
                uProduct *= u(i);
            }
        }
        double ut = u(t);
        double ut1 = u(t + 1);
        uProduct *= ut;
        double uProductNext = uProduct * ut1;
        c[0] = learningRate();
        c[1] = beta1;
        c[2] = beta2;
        c[3] = epsilon;
        c[4] = (float) (ut1 / (1 - uProductNext));
        c[5] = (float) ((1 - ut) / (1 - uProduct));
        c[6] = (float) (1 / (1 - Math.pow(beta2, t)));
        preparedStep = t;
    }

    private double u(long t) {
        return beta1 * (1 - 0.5 * Math.pow(0.96, t));
    }
}
