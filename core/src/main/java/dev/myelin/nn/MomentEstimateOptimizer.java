package dev.myelin.nn;

import java.util.Map;

/**
 * Adam and Adamax: the same hyperparameters (beta_1, beta_2, epsilon) and the same coefficient
 * layout {@code [step size, beta_1, beta_2, epsilon]}; they differ in the update rule and in how the
 * bias correction enters the step size.
 */
abstract class MomentEstimateOptimizer extends Optimizer {

    /** Keras's {@code beta_1}, the decay rate of the first moment, in [0, 1). */
    protected final float beta1;
    /** Keras's {@code beta_2}, the decay rate of the second moment (Adamax: of the infinity norm), in [0, 1). */
    protected final float beta2;
    private final float epsilon;

    MomentEstimateOptimizer(float learningRate, float beta1, float beta2, float epsilon) {
        super(learningRate, 4);
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

    /**
     * The step size of step {@code t} (1-based), with the rule's bias correction folded in.
     *
     * @param t the step number, starting at 1
     * @return the step size, the coefficient {@code c[0]} of the update rule
     */
    protected abstract double stepSize(long t);

    @Override
    protected final void prepare(long t) {
        c[0] = (float) stepSize(t);
        c[1] = beta1;
        c[2] = beta2;
        c[3] = epsilon;
    }
}
