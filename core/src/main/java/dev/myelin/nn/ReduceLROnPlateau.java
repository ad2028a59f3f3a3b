package dev.myelin.nn;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's {@code ReduceLROnPlateau}: when the monitored value has not improved by more than
 * {@code minDelta} for {@code patience} epochs, the learning rate is multiplied by {@code factor} (not below
 * {@code minLr}), then {@code cooldown} epochs pass before waiting starts again. Every epoch's logs get the
 * optimizer's {@code learning_rate}, as in Keras. The new rate reaches the next step's fused update kernel.
 * The optimizer must have a fixed learning rate: one that follows a schedule is refused when fit starts
 * (Keras cannot set a scheduled rate either).
 *
 * <p>Keras's defaults: monitor {@code val_loss}, factor 0.1, patience 10, verbose 0, mode {@code auto},
 * min_delta 1e-4, cooldown 0, min_lr 0.
 */
public final class ReduceLROnPlateau implements Callback {

    private final Monitor watch;
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minLr;
    private final PrintStream out;

    private Sequential model;
    private Double best;
    private int wait;
    private int cooldownCounter;

    /** Keras's defaults: val_loss, factor 0.1, patience 10, auto, min_delta 1e-4, cooldown 0, min_lr 0. */
    public ReduceLROnPlateau() {
        this("val_loss", 0.1, 10, "auto", 1e-4, 0, 0, null);
    }

    /**
     * Every argument of Keras's; {@code out} null is Keras's verbose 0, else messages go there (verbose 1).
     *
     * @param monitor the history key to watch
     * @param factor the factor the rate is multiplied by, in (0, 1)
     * @param patience epochs without improvement before a reduction, at least 0
     * @param mode auto, min or max
     * @param minDelta the smallest change that counts as an improvement
     * @param cooldown epochs after a reduction before waiting starts again, at least 0
     * @param minLr the lowest rate, at least 0
     * @param out where to say each reduction, or null for silence
     * @throws IllegalArgumentException if an argument is out of range
     */
    public ReduceLROnPlateau(String monitor, double factor, int patience, String mode, double minDelta, int cooldown,
            double minLr, PrintStream out) {
        this.watch = new Monitor("ReduceLROnPlateau", monitor, mode, minDelta);
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: argument 'factor' must be in (0, 1), got " + factor);
        }
        if (patience < 0 || cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: arguments 'patience' and 'cooldown' must be >= 0,"
                    + " got " + patience + " and " + cooldown);
        }
        if (!(minLr >= 0) || !Double.isFinite(minLr)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: argument 'min_lr' must be finite and >= 0, got "
                    + minLr);
        }
        this.factor = factor;
        this.patience = patience;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.out = out;
    }

    @Override
    public void onTrainBegin(Sequential model) {
        model.optimizer().requireFixedLearningRate("ReduceLROnPlateau");
        this.model = model;
        best = null;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Optimizer optimizer = Objects.requireNonNull(model.optimizer());
        logs.put("learning_rate", (double) optimizer.learningRate());
        Double current = watch.current(logs);
        if (current == null) {
            watch.warnMissing(ReduceLROnPlateau.class, "Learning rate reduction", logs);
            return;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (watch.improves(current, best)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience) {
                double old = optimizer.learningRate();
                if (old > (float) minLr) {
                    double lr = Math.max(old * factor, minLr);
                    optimizer.changeLearningRate("ReduceLROnPlateau", lr);
                    if (out != null) {
                        out.println("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                                + PythonFormat.repr(lr) + ".");
                    }
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }
}
