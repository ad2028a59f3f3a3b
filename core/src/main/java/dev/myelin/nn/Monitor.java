package dev.myelin.nn;

import java.util.Map;
import java.util.Set;

/**
 * What the monitoring callbacks (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau) share, as Keras 3's
 * {@code MonitorCallback}: the direction of the watched history key and whether a value improves on the best.
 * Mode {@code auto} takes the direction from the key's name: losses and errors go down; accuracies, AUC,
 * precision, recall, F1, R2 and the true counts go up; any other name is refused (pass min or max), as Keras
 * refuses a metric whose direction it cannot tell.
 */
final class Monitor {

    private static final Set<String> UPWARD = Set.of("acc", "accuracy", "binary_accuracy", "categorical_accuracy",
            "sparse_categorical_accuracy", "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
            "precision", "recall", "f1_score", "r2_score", "auc", "true_positives", "true_negatives");
    private static final Set<String> DOWNWARD = Set.of("loss", "mse", "mae", "mape", "msle", "rmse",
            "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
            "mean_squared_logarithmic_error", "root_mean_squared_error", "false_positives", "false_negatives");

    private final String monitor;
    private final boolean maximize;
    private final double minDelta;

    /**
     * A monitor of {@code monitor} in {@code mode} (auto, min or max); {@code minDelta}'s sign is ignored.
     * Throws, naming {@code owner}, for a bad mode or an auto mode that cannot tell the direction.
     */
    Monitor(String owner, String monitor, String mode, double minDelta) {
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException(owner + ": argument 'monitor' must be a history key, got '" + monitor
                    + "'");
        }
        if (!"auto".equals(mode) && !"min".equals(mode) && !"max".equals(mode)) {
            throw new IllegalArgumentException(owner + ": argument 'mode' must be auto, min or max, got '" + mode + "'");
        }
        if (Double.isNaN(minDelta)) {
            throw new IllegalArgumentException(owner + ": argument 'min_delta' must be a number, got " + minDelta);
        }
        this.monitor = monitor;
        this.maximize = "max".equals(mode) || ("auto".equals(mode) && upward(owner, monitor));
        this.minDelta = Math.abs(minDelta);
    }

    private static boolean upward(String owner, String monitor) {
        String metric = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        // Metrics with several thresholds log one key each: precision@0.3.
        int at = metric.indexOf('@');
        String base = at < 0 ? metric : metric.substring(0, at);
        if (UPWARD.contains(base)) {
            return true;
        }
        if (DOWNWARD.contains(base) || base.endsWith("_loss") || base.endsWith("crossentropy")) {
            return false;
        }
        throw new IllegalArgumentException(owner + ": cannot tell whether '" + monitor + "' should be maximised or"
                + " minimised; pass mode \"max\" or \"min\"");
    }

    /** The watched history key. */
    String key() {
        return monitor;
    }

    /** True when higher values are better. */
    boolean maximize() {
        return maximize;
    }

    /** The value of the key in {@code logs}, or null when absent. */
    Double current(Map<String, Double> logs) {
        return logs.get(monitor);
    }

    /** Whether {@code value} beats {@code reference} by more than min_delta; everything beats a null reference. */
    boolean improves(double value, Double reference) {
        if (reference == null) {
            return true;
        }
        return maximize ? value - minDelta > reference : value + minDelta < reference;
    }

    /** Warns on {@code logger} that the key is missing from {@code logs}, as Keras warns. */
    void warnMissing(Class<?> owner, String what, Map<String, Double> logs) {
        System.getLogger(owner.getName()).log(System.Logger.Level.WARNING, what + " is conditioned on metric '"
                + monitor + "' which is not available. Available metrics are: " + String.join(",", logs.keySet()));
    }
}
