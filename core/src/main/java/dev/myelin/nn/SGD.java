package dev.myelin.nn;

import dev.myelin.spi.UpdateRule;
import java.util.Map;

/** Keras 3 SGD: learning_rate 0.01, momentum 0, nesterov false. */
public final class SGD extends Optimizer {

    private final float momentum;
    private final boolean nesterov;

    /** Keras's defaults: learning rate 0.01, no momentum. */
    public SGD() {
        this(0.01f);
    }

    /**
     * Plain gradient descent at {@code learningRate}.
     *
     * @param learningRate the learning rate, positive
     */
    public SGD(float learningRate) {
        this(learningRate, 0f, false);
    }

    /**
     * Every hyperparameter, under Keras's names.
     *
     * @param learningRate the learning rate, positive
     * @param momentum the momentum, 0 for none
     * @param nesterov whether to use Nesterov momentum
     */
    public SGD(float learningRate, float momentum, boolean nesterov) {
        super(learningRate, momentum == 0f && !nesterov ? 1 : 2);
        if (!(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException("SGD: argument 'momentum' must be in [0, 1], got " + momentum);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    /**
     * The momentum (0 for none).
     *
     * @return the momentum
     */
    public float momentum() {
        return momentum;
    }

    /**
     * Whether the momentum is Nesterov's.
     *
     * @return true for Nesterov momentum
     */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("momentum", (double) momentum);
        c.put("nesterov", nesterov);
        return c;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public UpdateRule rule() {
        return nesterov ? UpdateRule.NESTEROV : momentum == 0f ? UpdateRule.SGD : UpdateRule.MOMENTUM;
    }

    @Override
    protected void prepare(long t) {
        c[0] = learningRate();
        if (c.length > 1) {
            c[1] = momentum;
        }
    }
}
