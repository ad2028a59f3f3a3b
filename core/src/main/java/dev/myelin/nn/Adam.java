package dev.myelin.nn;

import dev.myelin.spi.UpdateRule;
import java.util.Map;

/**
 * Keras 3 Adam ({@code keras.optimizers.Adam}): learning_rate 0.001, beta_1 0.9, beta_2 0.999,
 * epsilon 1e-7, amsgrad false. The bias corrections are folded into the step size
 * {@code alpha = lr sqrt(1 - b2^t) / (1 - b1^t)}; with amsgrad the update divides by the running
 * maximum of v ({@link UpdateRule#AMSGRAD}), kept as a third state slot.
 */
public class Adam extends MomentEstimateOptimizer {

    private boolean amsgrad;

    /** Keras's defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public Adam() {
        this(0.001f);
    }

    /**
     * Keras's defaults but the learning rate.
     *
     * @param learningRate the learning rate, positive
     */
    public Adam(float learningRate) {
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
    public Adam(float learningRate, float beta1, float beta2, float epsilon) {
        super(learningRate, beta1, beta2, epsilon);
    }

    /**
     * Keras's {@code amsgrad}; set before compile (it adds a state slot).
     *
     * @param use whether to use the AMSGrad variant (the running maximum of the second moment)
     * @return this optimizer, for chaining
     */
    public final Adam amsgrad(boolean use) {
        this.amsgrad = use;
        return this;
    }

    /**
     * Whether the AMSGrad variant is used.
     *
     * @return true if {@code amsgrad} is on (Keras's default is false)
     */
    public final boolean amsgrad() {
        return amsgrad;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("amsgrad", amsgrad);
        return c;
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public final UpdateRule rule() {
        return amsgrad ? UpdateRule.AMSGRAD : UpdateRule.ADAM;
    }

    @Override
    protected final double stepSize(long t) {
        return learningRate() * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    }
}
