package dev.myelin.nn.schedules;

import static dev.myelin.nn.schedules.LearningRateSchedule.nonNegative;
import static dev.myelin.nn.schedules.LearningRateSchedule.positive;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras 3's {@code PolynomialDecay}: {@code (initial - end) (1 - s / d)^power + end} with
 * {@code s = min(step, d)}; with {@code cycle}, {@code d} is {@code decaySteps * ceil(step / decaySteps)}
 * (1 at step 0) instead. Defaults: end_learning_rate 0.0001, power 1, cycle false.
 */
public final class PolynomialDecay implements LearningRateSchedule {

    private final double initial;
    private final double decaySteps;
    private final double end;
    private final double power;
    private final boolean cycle;

    /**
     * {@code PolynomialDecay(initial_learning_rate, decay_steps)} with Keras's defaults.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0; finite and &gt; 0
     * @param decaySteps Keras's {@code decay_steps}, the steps over which the rate falls to 0.0001; &gt; 0
     * @throws IllegalArgumentException when an argument is out of the range given above
     */
    public PolynomialDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0001, 1.0, false);
    }

    /**
     * {@code PolynomialDecay(initial_learning_rate, decay_steps, end_learning_rate, power, cycle)}.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0; finite and &gt; 0
     * @param decaySteps Keras's {@code decay_steps}, the steps over which the rate falls to the end rate; &gt; 0
     * @param endLearningRate Keras's {@code end_learning_rate}, the rate after the decay; finite and &gt;= 0
     * @param power Keras's {@code power}, the exponent of the polynomial (1 for linear); finite and &gt; 0
     * @param cycle Keras's {@code cycle}: true to restart the decay past {@code decaySteps} over a longer
     *     period, false to hold the end rate
     * @throws IllegalArgumentException when an argument is out of the range given above
     */
    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate, double power,
            boolean cycle) {
        this.initial = positive("PolynomialDecay", "initial_learning_rate", initialLearningRate);
        this.decaySteps = positive("PolynomialDecay", "decay_steps", decaySteps);
        this.end = nonNegative("PolynomialDecay", "end_learning_rate", endLearningRate);
        this.power = positive("PolynomialDecay", "power", power);
        this.cycle = cycle;
    }

    @Override
    public double at(long step) {
        double s = step;
        double d = decaySteps;
        if (cycle) {
            d *= step == 0 ? 1 : Math.ceil(s / decaySteps);
        } else {
            s = Math.min(s, d);
        }
        return (initial - end) * Math.pow(1 - s / d, power) + end;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initial);
        c.put("decay_steps", (long) decaySteps);
        c.put("end_learning_rate", end);
        c.put("power", power);
        c.put("cycle", cycle);
        return c;
    }
}
