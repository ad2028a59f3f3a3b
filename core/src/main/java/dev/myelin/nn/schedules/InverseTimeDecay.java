package dev.myelin.nn.schedules;

import static dev.myelin.nn.schedules.LearningRateSchedule.nonNegative;
import static dev.myelin.nn.schedules.LearningRateSchedule.positive;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras 3's {@code InverseTimeDecay}: {@code initial / (1 + rate * step / decaySteps)}, the quotient
 * floored when {@code staircase} (default false).
 */
public final class InverseTimeDecay implements LearningRateSchedule {

    private final double initial;
    private final double decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /**
     * {@code InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate)} with staircase false.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0; finite and &gt; 0
     * @param decaySteps Keras's {@code decay_steps}, the number of steps of one decay period; &gt; 0
     * @param decayRate Keras's {@code decay_rate}, how fast the rate falls, per {@code decaySteps} steps;
     *     finite and &gt;= 0
     * @throws IllegalArgumentException when an argument is out of the range given above
     */
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * {@code InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate, staircase)}.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0; finite and &gt; 0
     * @param decaySteps Keras's {@code decay_steps}, the number of steps of one decay period; &gt; 0
     * @param decayRate Keras's {@code decay_rate}, how fast the rate falls, per {@code decaySteps} steps;
     *     finite and &gt;= 0
     * @param staircase Keras's {@code staircase}: true to decay in steps, at whole multiples of
     *     {@code decaySteps} ({@code step / decaySteps} floored), false to decay smoothly
     * @throws IllegalArgumentException when an argument is out of the range given above
     */
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        this.initial = positive("InverseTimeDecay", "initial_learning_rate", initialLearningRate);
        this.decaySteps = positive("InverseTimeDecay", "decay_steps", decaySteps);
        this.decayRate = nonNegative("InverseTimeDecay", "decay_rate", decayRate);
        this.staircase = staircase;
    }

    @Override
    public double at(long step) {
        double p = step / decaySteps;
        return initial / (1 + decayRate * (staircase ? Math.floor(p) : p));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initial);
        c.put("decay_steps", (long) decaySteps);
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        return c;
    }
}
