package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Keras 3 {@code EarlyStopping}: stops when {@code monitor} (default {@code val_loss}) has not improved by
 * more than {@code minDelta} for {@code patience} epochs. {@code mode} {@code auto} maximises the metrics
 * that grow as a model improves (accuracies, AUC, precision, recall, F1, R2) and minimises the losses and
 * errors; it refuses a key whose direction it cannot tell, as Keras does. With {@code restoreBestWeights} the
 * weights of the best epoch are put back when training ends.
 */
public final class EarlyStopping implements Callback {

    private final Monitor watch;
    private final String monitor;
    private final int patience;
    private final boolean restoreBestWeights;
    private final Double baseline;
    private final int startFromEpoch;
    private final PrintStream out;

    private Sequential model;
    private boolean maximize;
    private double best;
    private int wait;
    private int bestEpoch;
    private int stoppedEpoch;
    private List<FloatMatrix> bestWeights;

    /** Keras defaults: monitor val_loss, min_delta 0, patience 0, mode auto, no restore. */
    public EarlyStopping() {
        this("val_loss", 0, 0, false);
    }

    /**
     * Keras's defaults but the four most used arguments.
     *
     * @param monitor the history key to watch, e.g. {@code val_loss}
     * @param minDelta the smallest change that counts as an improvement
     * @param patience epochs without improvement before stopping
     * @param restoreBestWeights whether to put back the weights of the best epoch
     */
    public EarlyStopping(String monitor, double minDelta, int patience, boolean restoreBestWeights) {
        this(monitor, minDelta, patience, "auto", restoreBestWeights, null, 0, null);
    }

    /**
     * {@code out}: where to say why training stopped (null for silence, Keras's verbose=0).
     *
     * @param monitor the history key to watch, e.g. {@code val_loss}
     * @param minDelta the smallest change that counts as an improvement
     * @param patience epochs without improvement before stopping
     * @param mode {@code min}, {@code max} or {@code auto} (from the key's name)
     * @param restoreBestWeights whether to put back the weights of the best epoch
     * @param baseline a value to beat, or null
     * @param startFromEpoch epochs to wait before watching
     * @param out where to say why training stopped, or null
     */
    public EarlyStopping(String monitor, double minDelta, int patience, String mode, boolean restoreBestWeights,
            Double baseline, int startFromEpoch, PrintStream out) {
        this.watch = new Monitor("EarlyStopping", monitor, mode, minDelta);
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: argument 'patience' must be >= 0, got " + patience);
        }
        if (startFromEpoch < 0) {
            throw new IllegalArgumentException("EarlyStopping: argument 'start_from_epoch' must be >= 0, got "
                    + startFromEpoch);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
        this.baseline = baseline;
        this.startFromEpoch = startFromEpoch;
        this.out = out;
    }

    @Override
    public void onTrainBegin(Sequential model) {
        this.model = model;
        maximize = watch.maximize();
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        bestEpoch = 0;
        stoppedEpoch = 0;
        bestWeights = null;
    }

    private boolean improves(double value, double reference) {
        return watch.improves(value, reference);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            if (out != null) {
                out.println("EarlyStopping: metric '" + monitor + "' is not available; available: " + logs.keySet());
            }
            watch.warnMissing(EarlyStopping.class, "Early stopping", logs);
            return;
        }
        if (epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = model.getWeights();
            bestEpoch = epoch;
        }
        wait++;
        if (improves(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = model.getWeights();
            }
            if (baseline == null || improves(current, baseline)) {
                wait = 0;
                return;
            }
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model.stopTraining(true);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0 && out != null) {
            out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        }
        if (restoreBestWeights && bestWeights != null) {
            if (out != null) {
                out.println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            }
            model.setWeights(bestWeights);
        }
    }

    /**
     * The 0-based epoch training was stopped after, or 0 when it was not stopped.
     *
     * @return the epoch, from 0
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /**
     * The 0-based epoch with the best monitored value.
     *
     * @return the epoch, from 0
     */
    public int bestEpoch() {
        return bestEpoch;
    }
}
