package dev.myelin.nn.schedules;

import static dev.myelin.nn.schedules.LearningRateSchedule.positive;

/**
 * Keras 3's {@code ExponentialDecay}: {@code initial * rate^(step / decaySteps)}, the exponent floored
 * when {@code staircase} (default false).
 */
public final class ExponentialDecay implements LearningRateSchedule {

    private final double initial;
    private final double decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /** {@code ExponentialDecay(initial_learning_rate, decay_steps, decay_rate)} with staircase false. */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /** {@code ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase)}. */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        this.initial = positive("ExponentialDecay", "initial_learning_rate", initialLearningRate);
        this.decaySteps = positive("ExponentialDecay", "decay_steps", decaySteps);
        this.decayRate = positive("ExponentialDecay", "decay_rate", decayRate);
        this.staircase = staircase;
    }

    @Override
    public double at(long step) {
        double p = step / decaySteps;
        return initial * Math.pow(decayRate, staircase ? Math.floor(p) : p);
    }
}
