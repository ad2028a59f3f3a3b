package dev.myelin.nn.schedules;

import java.util.Map;

/**
 * A learning rate that depends on the optimizer's step, as Keras 3's
 * {@code keras.optimizers.schedules.LearningRateSchedule}: the optimizer evaluates it at its
 * iteration count before each update (0 for the first), on the host, so the fused update kernels
 * receive it as one more coefficient and no step reads anything back. A user schedule implements
 * {@link #at(long)}.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate for the update that follows {@code step} earlier updates.
     *
     * @param step the optimizer's iteration count, the number of updates already made; &gt;= 0
     * @return the learning rate for that update; must be finite and &gt;= 0, or the optimizer throws
     */
    double at(long step);

    /**
     * Keras's {@code get_config}: the constructor arguments under Keras's names, so that
     * {@link ScheduleConfig#fromConfig} rebuilds the schedule (and model files can hold it). A schedule
     * that cannot be rebuilt from values (a lambda) returns null, the default.
     *
     * @return a new map of Keras argument names to JSON-able values, or null
     */
    default Map<String, Object> config() {
        return null;
    }

    /**
     * Checks a schedule argument that must be finite and {@code > 0}.
     *
     * @param schedule the schedule's class name, for the error message ({@code "CosineDecay"})
     * @param arg the argument's Keras name, for the error message ({@code "decay_steps"})
     * @param v the value to check
     * @return {@code v}, unchanged
     * @throws IllegalArgumentException when {@code v} is NaN, infinite or not {@code > 0}
     */
    static double positive(String schedule, String arg, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(schedule + ": argument '" + arg + "' must be finite and > 0, got " + v);
        }
        return v;
    }

    /**
     * Checks a schedule argument that must be finite and {@code >= 0}.
     *
     * @param schedule the schedule's class name, for the error message ({@code "CosineDecay"})
     * @param arg the argument's Keras name, for the error message ({@code "decay_steps"})
     * @param v the value to check
     * @return {@code v}, unchanged
     * @throws IllegalArgumentException when {@code v} is NaN, infinite or not {@code >= 0}
     */
    static double nonNegative(String schedule, String arg, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(schedule + ": argument '" + arg + "' must be finite and >= 0, got " + v);
        }
        return v;
    }
}
