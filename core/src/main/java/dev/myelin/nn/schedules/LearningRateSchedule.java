package dev.myelin.nn.schedules;

/**
 * A learning rate that depends on the optimizer's step, as Keras 3's
 * {@code keras.optimizers.schedules.LearningRateSchedule}: the optimizer evaluates it at its
 * iteration count before each update (0 for the first), on the host, so the fused update kernels
 * receive it as one more coefficient and no step reads anything back. A user schedule implements
 * {@link #at(long)}.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate for the update that follows {@code step} earlier updates. */
    double at(long step);

    /** Checks a schedule argument that must be finite and {@code > 0}. */
    static double positive(String schedule, String arg, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(schedule + ": argument '" + arg + "' must be finite and > 0, got " + v);
        }
        return v;
    }

    /** Checks a schedule argument that must be finite and {@code >= 0}. */
    static double nonNegative(String schedule, String arg, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(schedule + ": argument '" + arg + "' must be finite and >= 0, got " + v);
        }
        return v;
    }
}
