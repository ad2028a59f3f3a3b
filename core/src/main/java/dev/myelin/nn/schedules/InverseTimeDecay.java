package dev.myelin.nn.schedules;

import static dev.myelin.nn.schedules.LearningRateSchedule.nonNegative;
import static dev.myelin.nn.schedules.LearningRateSchedule.positive;

/**
 * Keras 3's {@code InverseTimeDecay}: {@code initial / (1 + rate * step / decaySteps)}, the quotient
 * floored when {@code staircase} (default false).
 */
public final class InverseTimeDecay implements LearningRateSchedule {

    private final double initial;
    private final double decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /** {@code InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate)} with staircase false. */
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /** {@code InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate, staircase)}. */
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
}
