package dev.myelin.nn;

import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.Map;

/** Keras 3 Adagrad: learning_rate 0.001, initial_accumulator_value 0.1, epsilon 1e-7. */
public final class Adagrad extends Optimizer {

    private final float initialAccumulatorValue;
    private final float epsilon;

    /** Keras's defaults: learning rate 0.001, initial accumulator 0.1, epsilon 1e-7. */
    public Adagrad() {
        this(0.001f);
    }

    /**
     * Keras's defaults but the learning rate.
     *
     * @param learningRate the learning rate, positive
     */
    public Adagrad(float learningRate) {
        this(learningRate, 0.1f, 1e-7f);
    }

    /**
     * Every hyperparameter, under Keras's names.
     *
     * @param learningRate the learning rate, positive
     * @param initialAccumulatorValue the starting value of the accumulators
     * @param epsilon the constant added for numerical stability
     */
    public Adagrad(float learningRate, float initialAccumulatorValue, float epsilon) {
        super(learningRate, 2);
        this.initialAccumulatorValue = checkNonNegative("initial_accumulator_value", initialAccumulatorValue);
        this.epsilon = checkNonNegative("epsilon", epsilon);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("initial_accumulator_value", (double) initialAccumulatorValue);
        c.put("epsilon", (double) epsilon);
        return c;
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public UpdateRule rule() {
        return UpdateRule.ADAGRAD;
    }

    @Override
    protected void initSlots(Backend b, Tensor[] slots) {
        b.fill(slots[0], initialAccumulatorValue);
    }

    @Override
    protected void prepare(long t) {
        c[0] = learningRate();
        c[1] = epsilon;
    }
}
