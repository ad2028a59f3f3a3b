package dev.myelin.nn;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's {@code LearningRateScheduler}: at the start of every epoch the learning rate becomes
 * {@code schedule.rate(epoch, currentRate)}, and every epoch's logs get {@code learning_rate}. The new rate
 * reaches the epoch's fused update kernels. The optimizer must have a fixed learning rate (a scheduled one
 * is refused when fit starts, as Keras cannot set it).
 *
 * <pre>{@code
 * new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1))
 * }</pre>
 */
public final class LearningRateScheduler implements Callback {

    /** The rate of an epoch from its index and the current rate (Keras's {@code schedule(epoch, lr)}). */
    @FunctionalInterface
    public interface Schedule {
        /**
         * The learning rate for {@code epoch}.
         *
         * @param epoch the epoch about to start, from 0
         * @param lr the current learning rate
         * @return the rate for the epoch, finite and &gt; 0
         */
        double rate(int epoch, double lr);
    }

    private final Schedule schedule;
    private final PrintStream out;
    private Sequential model;

    /**
     * A silent scheduler (Keras's verbose 0).
     *
     * @param schedule gives each epoch's rate, not null
     */
    public LearningRateScheduler(Schedule schedule) {
        this(schedule, null);
    }

    /**
     * A scheduler that says each new rate on {@code out} (Keras's verbose 1), or silent when it is null.
     *
     * @param schedule gives each epoch's rate, not null
     * @param out where to say each rate, or null
     */
    public LearningRateScheduler(Schedule schedule, PrintStream out) {
        this.schedule = Objects.requireNonNull(schedule, "LearningRateScheduler: argument 'schedule' is null");
        this.out = out;
    }

    @Override
    public void onTrainBegin(Sequential model) {
        model.optimizer().requireFixedLearningRate("LearningRateScheduler");
        this.model = model;
    }

    @Override
    public void onEpochBegin(int epoch) {
        Optimizer optimizer = model.optimizer();
        double lr = schedule.rate(epoch, optimizer.learningRate());
        optimizer.changeLearningRate("LearningRateScheduler", lr);
        if (out != null) {
            out.println("Epoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
                    + PythonFormat.repr(lr) + ".");
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", (double) model.optimizer().learningRate());
    }
}
