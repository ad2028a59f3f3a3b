package dev.myelin.nn.schedules;

import static dev.myelin.nn.schedules.LearningRateSchedule.nonNegative;
import static dev.myelin.nn.schedules.LearningRateSchedule.positive;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras 3's {@code CosineDecay} with its optional linear warm-up. Without a warm-up target:
 * {@code initial ((1 - alpha) (1 + cos(pi s / d)) / 2 + alpha)}, {@code s = min(step, d)}. With
 * {@code warmupTarget}: for {@code step < warmupSteps} the rate goes linearly from {@code initial}
 * to {@code warmupTarget} ({@code initial + (target - initial) step / warmupSteps}); after it the cosine
 * decays from {@code warmupTarget} over {@code decaySteps} more steps. Default alpha 0.
 */
public final class CosineDecay implements LearningRateSchedule {

    private final double initial;
    private final double decaySteps;
    private final double alpha;
    private final Double warmupTarget;
    private final double warmupSteps;

    /**
     * {@code CosineDecay(initial_learning_rate, decay_steps)}: alpha 0, no warm-up.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0; finite and &gt; 0
     * @param decaySteps Keras's {@code decay_steps}, the steps over which the rate falls to 0; &gt; 0
     * @throws IllegalArgumentException when an argument is out of the range given above
     */
    public CosineDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0);
    }

    /**
     * {@code CosineDecay(initial_learning_rate, decay_steps, alpha)} without warm-up.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0; finite and &gt; 0
     * @param decaySteps Keras's {@code decay_steps}, the steps over which the rate falls to its minimum; &gt; 0
     * @param alpha Keras's {@code alpha}, the minimum rate as a fraction of the initial one; finite and &gt;= 0
     * @throws IllegalArgumentException when an argument is out of the range given above
     */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, null, 0);
    }

    /**
     * {@code CosineDecay(initial_learning_rate, decay_steps, alpha, warmup_target, warmup_steps)};
     * a null {@code warmupTarget} means no warm-up, as Keras's None.
     *
     * @param initialLearningRate Keras's {@code initial_learning_rate}, the rate at step 0; finite, &gt; 0
     *     without a warm-up, &gt;= 0 with one
     * @param decaySteps Keras's {@code decay_steps}, the steps of the cosine decay after the warm-up; &gt; 0
     * @param alpha Keras's {@code alpha}, the minimum rate as a fraction of the rate the decay starts from;
     *     finite and &gt;= 0
     * @param warmupTarget Keras's {@code warmup_target}, the rate reached at the end of the warm-up, finite
     *     and &gt; 0; null for no warm-up
     * @param warmupSteps Keras's {@code warmup_steps}, the length of the linear warm-up; &gt; 0 when
     *     {@code warmupTarget} is given, ignored when it is null
     * @throws IllegalArgumentException when an argument is out of the range given above
     */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha, Double warmupTarget,
            long warmupSteps) {
        // Keras allows an initial rate of 0 when a warm-up starts from it.
        this.initial = warmupTarget == null ? positive("CosineDecay", "initial_learning_rate", initialLearningRate)
                : nonNegative("CosineDecay", "initial_learning_rate", initialLearningRate);
        this.decaySteps = positive("CosineDecay", "decay_steps", decaySteps);
        this.alpha = nonNegative("CosineDecay", "alpha", alpha);
        if (warmupTarget != null) {
            positive("CosineDecay", "warmup_target", warmupTarget);
            positive("CosineDecay", "warmup_steps", warmupSteps);
        }
        this.warmupTarget = warmupTarget;
        this.warmupSteps = warmupSteps;
    }

    @Override
    public double at(long step) {
        if (warmupTarget == null) {
            return decay(Math.min(step, decaySteps), initial);
        }
        double s = Math.min(step, decaySteps + warmupSteps);
        if (s < warmupSteps) {
            return (warmupTarget - initial) * (s / warmupSteps) + initial;
        }
        return decay(s - warmupSteps, warmupTarget);
    }

    private double decay(double s, double from) {
        double cosine = 0.5 * (1 + Math.cos(Math.PI * s / decaySteps));
        return from * ((1 - alpha) * cosine + alpha);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initial);
        c.put("decay_steps", (long) decaySteps);
        c.put("alpha", alpha);
        c.put("warmup_target", warmupTarget);
        c.put("warmup_steps", (long) warmupSteps);
        return c;
    }
}
