package dev.myelin.nn;

import dev.myelin.spi.UpdateRule;
import java.util.Map;

/** Keras 3 Adadelta: learning_rate 0.001, rho 0.95, epsilon 1e-7. */
public final class Adadelta extends Optimizer {

    private final float rho;
    private final float epsilon;

    /** Keras's defaults: learning rate 0.001, rho 0.95, epsilon 1e-7. */
    public Adadelta() {
        this(0.001f);
    }

    /**
     * Keras's defaults but the learning rate.
     *
     * @param learningRate the learning rate, positive
     */
    public Adadelta(float learningRate) {
        this(learningRate, 0.95f, 1e-7f);
    }

    /**
     * Every hyperparameter, under Keras's names.
     *
     * @param learningRate the learning rate, positive
     * @param rho the decay rate of the running averages
     * @param epsilon the constant added for numerical stability
     */
    public Adadelta(float learningRate, float rho, float epsilon) {
        super(learningRate, 3);
        this.rho = checkUnit("rho", rho);
        this.epsilon = checkNonNegative("epsilon", epsilon);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rho", (double) rho);
        c.put("epsilon", (double) epsilon);
        return c;
    }

    @Override
    public String name() {
        return "adadelta";
    }

    @Override
    public UpdateRule rule() {
        return UpdateRule.ADADELTA;
    }

    @Override
    protected void prepare(long t) {
        c[0] = learningRate();
        c[1] = rho;
        c[2] = epsilon;
    }
}
