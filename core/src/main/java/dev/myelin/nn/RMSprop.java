package dev.myelin.nn;

import dev.myelin.spi.UpdateRule;
import java.util.Map;

/** Keras 3 RMSprop: learning_rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false. */
public final class RMSprop extends Optimizer {

    private final float rho;
    private final float momentum;
    private final float epsilon;
    private final boolean centered;

    /** Keras's defaults: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered. */
    public RMSprop() {
        this(0.001f);
    }

    /**
     * Keras's defaults but the learning rate.
     *
     * @param learningRate the learning rate, positive
     */
    public RMSprop(float learningRate) {
        this(learningRate, 0.9f, 0f, 1e-7f, false);
    }

    /**
     * Every hyperparameter, under Keras's names.
     *
     * @param learningRate the learning rate, positive
     * @param rho the decay rate of the mean square
     * @param momentum the momentum, 0 for none
     * @param epsilon the constant added for numerical stability
     * @param centered whether to divide by the variance instead of the mean square
     */
    public RMSprop(float learningRate, float rho, float momentum, float epsilon, boolean centered) {
        super(learningRate, 5);
        this.rho = checkUnit("rho", rho);
        this.momentum = checkUnit("momentum", momentum);
        this.epsilon = checkNonNegative("epsilon", epsilon);
        this.centered = centered;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rho", (double) rho);
        c.put("momentum", (double) momentum);
        c.put("epsilon", (double) epsilon);
        c.put("centered", centered);
        return c;
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public UpdateRule rule() {
        return UpdateRule.RMSPROP;
    }

    @Override
    protected void prepare(long t) {
        c[0] = learningRate();
        c[1] = rho;
        c[2] = epsilon;
        c[3] = momentum;
        c[4] = centered ? 1f : 0f;
    }
}
