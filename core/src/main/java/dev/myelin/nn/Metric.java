package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Keras metric ({@code keras.metrics.Metric}): a state that batches update and a result read from it.
 * It is callable outside {@code fit}, as in Keras: {@link #updateState(FloatMatrix, FloatMatrix)} (with
 * optional per-sample weights), {@link #result()}, {@link #resetState()}; and it goes into
 * {@code compile} by Keras name ({@link #of(String)}) or as an object.
 *
 * <p>Two kinds run inside fit. The built-in accuracy, precision/recall at 0.5, F1 and regression metrics
 * ({@link #of(Kind)}) accumulate on the device with a few kernels per batch and read the host once per
 * epoch. {@link AUC} and the threshold metrics ({@link ConfusionCount}, {@link Precision},
 * {@link Recall}) do the same for a single-output model. The others, and every user subclass, accumulate
 * on the host: each batch's predictions and targets are read back (one host read per batch that these
 * metrics add to a training step) and passed to {@link #updateState}.
 *
 * <p>A user metric extends this class and implements {@link #updateState(FloatMatrix, FloatMatrix, float[])}
 * (accumulate one batch: {@code yTrue} and {@code yPred} are {@code [batch x outputs]}; in fit,
 * {@code yTrue} holds the targets as the loss sees them, one-hot for the sparse losses),
 * {@link #result()} (the value over every batch since the last reset) and {@link #resetState()}. The name
 * given to the constructor is the history key. Compile uses the object itself, so the caller can read
 * its state after fit or evaluate.
 */
public abstract class Metric {

    /** The built-in metrics that accumulate on the device. */
    public enum Kind {
        /** Keras's {@code accuracy}: binary accuracy for binary cross-entropy or one output, else categorical. */
        ACCURACY,
        /** Keras's {@code binary_accuracy}: the fraction of outputs that, thresholded at 0.5, equal the 0/1 target. */
        BINARY_ACCURACY,
        /** Keras's {@code categorical_accuracy}: the fraction of rows whose argmax matches the one-hot target's. */
        CATEGORICAL_ACCURACY,
        /** Keras's {@code sparse_categorical_accuracy}: the argmax matches the class label (one-hot on the device). */
        SPARSE_CATEGORICAL_ACCURACY,
        /** Keras's {@code precision} at threshold 0.5: true positives over predicted positives. */
        PRECISION,
        /** Keras's {@code recall} at threshold 0.5: true positives over actual positives. */
        RECALL,
        /** Keras's {@code f1_score}, macro-averaged over the classes (threshold 0.5 for one output, else argmax). */
        F1_SCORE,
        /** Keras's {@code mean_squared_error} ({@code mse}). */
        MEAN_SQUARED_ERROR,
        /** Keras's {@code root_mean_squared_error} ({@code rmse}): the square root of the mean squared error. */
        ROOT_MEAN_SQUARED_ERROR,
        /** Keras's {@code mean_absolute_error} ({@code mae}). */
        MEAN_ABSOLUTE_ERROR,
        /** Keras's {@code mean_absolute_percentage_error} ({@code mape}): {@code 100 |t - p| / |t|}, in percent. */
        MEAN_ABSOLUTE_PERCENTAGE_ERROR,
        /** Keras's {@code mean_squared_logarithmic_error} ({@code msle}), of {@code ln(1 + y)}. */
        MEAN_SQUARED_LOGARITHMIC_ERROR,
        /** Keras's {@code r2_score}: the coefficient of determination, averaged over the output columns. */
        R2_SCORE
    }

    private final String name;
    /** Host copies of a batch for the host path, reused while the batch size stays. */
    private float[] predHost = new float[0];
    private float[] targetHost = new float[0];

    /**
     * A metric whose history key is {@code name}.
     *
     * @param name the history and logs key, e.g. {@code "my_metric"} ({@code val_} is prefixed for validation);
     *        not null or blank
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    protected Metric(String name) {
        Objects.requireNonNull(name, "metric: argument 'name' is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("metric: argument 'name' must not be blank");
        }
        this.name = name;
    }

    /**
     * A device metric of {@code kind}, named as Keras names it.
     *
     * @param kind the built-in metric; not null
     * @return a new metric accumulating on the device, named e.g. {@code accuracy} or {@code mean_squared_error}
     * @throws NullPointerException if {@code kind} is null
     */
    public static Metric of(Kind kind) {
        return new DeviceMetric(Objects.requireNonNull(kind, "metric: argument 'kind' is null"));
    }

    /**
     * Keras names and aliases, with Keras's defaults: accuracy (acc), binary_accuracy, categorical_accuracy,
     * sparse_categorical_accuracy, precision, recall, f1_score, mse, rmse, mae, mape, msle, r2_score (on the
     * device); auc, true_positives, false_positives, true_negatives, false_negatives,
     * top_k_categorical_accuracy, sparse_top_k_categorical_accuracy (on the host).
     *
     * @param name a Keras metric name or alias, case-insensitive, surrounding blanks ignored
     * @return a new metric; the aliases acc, mse, mae, mape and msle keep the name as written as history key
     * @throws IllegalArgumentException if the name is null or not one of those listed
     */
    public static Metric of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        Metric device = DeviceMetric.named(n);
        if (device != null) {
            return device;
        }
        return switch (n) {
            case "auc" -> new AUC();
            case "true_positives" -> ConfusionCount.truePositives();
            case "false_positives" -> ConfusionCount.falsePositives();
            case "true_negatives" -> ConfusionCount.trueNegatives();
            case "false_negatives" -> ConfusionCount.falseNegatives();
            case "top_k_categorical_accuracy" -> new TopKCategoricalAccuracy();
            case "sparse_top_k_categorical_accuracy" -> new SparseTopKCategoricalAccuracy();
            default -> throw new IllegalArgumentException("argument 'metrics': unknown metric '" + name
                    + "', expected one of [accuracy, binary_accuracy, categorical_accuracy,"
                    + " sparse_categorical_accuracy, precision, recall, f1_score, mse, rmse, mae, mape, msle, r2_score,"
                    + " auc, true_positives, false_positives, true_negatives, false_negatives,"
                    + " top_k_categorical_accuracy, sparse_top_k_categorical_accuracy]");
        };
    }

    /**
     * The history key, e.g. {@code accuracy}, {@code val_accuracy} for validation.
     *
     * @return the name given to the constructor (without the {@code val_} prefix), never null
     */
    public final String name() {
        return name;
    }

    /**
     * The device kind, or null for a metric that accumulates on the host.
     *
     * @return the built-in kind of a device metric, or null
     */
    public Kind kind() {
        return null;
    }

    /**
     * Keras's {@code update_state(y_true, y_pred)}: accumulates one batch.
     *
     * @param yTrue the targets, {@code [batch x outputs]}; not null
     * @param yPred the predictions, shaped like {@code yTrue}; not null
     * @throws NullPointerException if a matrix is null (for the built-in metrics)
     * @throws IllegalArgumentException if the shapes differ (for the built-in metrics)
     */
    public final void updateState(FloatMatrix yTrue, FloatMatrix yPred) {
        updateState(yTrue, yPred, null);
    }

    /**
     * Keras's {@code update_state(y_true, y_pred, sample_weight)}: accumulates one batch, each sample
     * weighted by {@code sampleWeight[i]} (null: every weight 1).
     *
     * @param yTrue the targets, {@code [batch x outputs]}; not null
     * @param yPred the predictions, shaped like {@code yTrue}; not null
     * @param sampleWeight one non-negative weight per row of the batch, or null for equal weights
     */
    public abstract void updateState(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight);

    /**
     * Keras's {@code result()}: the metric over every batch since the last reset (NaN before any batch where
     * Keras's is undefined).
     *
     * @return the metric's current value
     */
    public abstract double result();

    /** Keras's {@code reset_state()}. */
    public abstract void resetState();

    /** Adds this metric's entries to an epoch's logs (one, {@code name -> result()}, unless a subclass says otherwise). */
    void addLogs(Map<String, Double> logs) {
        logs.put(name, result());
    }

    /** The metric compile holds: a fresh copy for the built-ins, the object itself for user metrics (as Keras). */
    Metric copy() {
        return this;
    }

    /** Prepares for a model with {@code outputs} outputs trained with {@code loss} on {@code b}. */
    void bind(Backend b, int outputs, Loss loss) {
        resetState();
    }

    /** Forgets the batches seen (start of an epoch or an evaluation). */
    void reset() {
        resetState();
    }

    /**
     * Adds one batch from a fit or evaluate step: {@code pred} and {@code target} are
     * {@code [batch x outputs]} on the device; the scratch tensors serve the device metrics. The host path
     * reads both back and calls {@link #updateState}.
     */
    void update(Tensor pred, Tensor target, Tensor tmpA, Tensor tmpB, Tensor colA, Tensor colB) {
        int size = pred.size();
        if (predHost.length != size) {
            predHost = new float[size];
            targetHost = new float[size];
        }
        pred.copyTo(predHost, 0);
        target.copyTo(targetHost, 0);
        updateState(new FloatMatrix(target.rows(), target.cols(), targetHost),
                new FloatMatrix(pred.rows(), pred.cols(), predHost), null);
    }

    /** Frees device state. */
    void release() {
    }

    /**
     * Checks a batch: both matrices present and of one shape, weights one per row.
     *
     * @param yTrue the targets, {@code [batch x outputs]}
     * @param yPred the predictions, which must be shaped like {@code yTrue}
     * @param sampleWeight the per-row weights, or null
     * @throws NullPointerException if {@code yTrue} or {@code yPred} is null
     * @throws IllegalArgumentException if the shapes differ or {@code sampleWeight} does not hold one weight per row
     */
    protected final void checkBatch(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
        Objects.requireNonNull(yTrue, () -> "metric '" + name + "': argument 'y_true' is null");
        Objects.requireNonNull(yPred, () -> "metric '" + name + "': argument 'y_pred' is null");
        if (yTrue.rows() != yPred.rows() || yTrue.cols() != yPred.cols()) {
            throw new IllegalArgumentException("metric '" + name + "': argument 'y_true' must be [" + yPred.rows()
                    + " x " + yPred.cols() + "] like 'y_pred', got [" + yTrue.rows() + " x " + yTrue.cols() + "]");
        }
        if (sampleWeight != null && sampleWeight.length != yPred.rows()) {
            throw new IllegalArgumentException("metric '" + name + "': argument 'sample_weight' must hold one weight"
                    + " per sample (" + yPred.rows() + "), got " + sampleWeight.length);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
