package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.RowLoss;
import java.util.Locale;
import java.util.Map;

/**
 * A Keras loss ({@code keras/src/losses/losses.py}), averaged over the batch (Keras's
 * {@code reduction="sum_over_batch_size"}). Categorical cross-entropy, kl_divergence, categorical_hinge and
 * cosine_similarity sum over the last axis; every other loss averages over it, as Keras does before its batch
 * mean. Probabilities are clipped at 1e-7; categorical cross-entropy on probabilities renormalises each row
 * first, as Keras does. With {@code fromLogits} the model's output is taken as logits.
 *
 * <p>A loss is also callable outside {@code fit}, as {@code keras.losses.X()(y_true, y_pred)} is:
 * {@link #call(FloatMatrix, FloatMatrix)} and {@link #callPerSample(FloatMatrix, FloatMatrix)}.
 *
 * <p>Users may subclass it for a loss of their own: pass its name to {@link #Loss(String)} and override
 * {@link #sampleLoss(float[], float[], float[])} (see {@link CustomLosses} for how it runs).
 */
public class Loss {

    /** What the loss computes. */
    public enum Kind {
        /** Keras's {@code binary_crossentropy}: targets in [0, 1], one sigmoid output per column. */
        BINARY_CROSSENTROPY("binary_crossentropy"),
        /** Keras's {@code categorical_crossentropy}: one-hot (or soft) targets, summed over the classes. */
        CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
        /** Keras's {@code sparse_categorical_crossentropy}: targets are class indices {@code [n x 1]}. */
        SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy"),
        /** Keras's {@code mean_squared_error} ({@code mse}): {@code mean((p - t)^2)} over the last axis. */
        MEAN_SQUARED_ERROR("mean_squared_error"),
        /** Keras's {@code mean_absolute_error} ({@code mae}): {@code mean(|p - t|)} over the last axis. */
        MEAN_ABSOLUTE_ERROR("mean_absolute_error"),
        /** Keras's {@code mean_absolute_percentage_error} ({@code mape}): {@code 100 mean(|(t - p) / t|)}. */
        MEAN_ABSOLUTE_PERCENTAGE_ERROR("mean_absolute_percentage_error"),
        /** Keras's {@code mean_squared_logarithmic_error} ({@code msle}): squared error of {@code log(1 + x)}. */
        MEAN_SQUARED_LOGARITHMIC_ERROR("mean_squared_logarithmic_error"),
        /** Keras's {@code hinge}: {@code mean(max(1 - t p, 0))}, targets in {-1, 1} (0/1 converted). */
        HINGE("hinge"),
        /** Keras's {@code squared_hinge}: {@code mean(max(1 - t p, 0)^2)}, targets in {-1, 1} (0/1 converted). */
        SQUARED_HINGE("squared_hinge"),
        /** Keras's {@code huber}: quadratic within {@link Loss#delta()} of the target, linear beyond. */
        HUBER("huber"),
        /** Keras's {@code log_cosh}: {@code mean(log(cosh(p - t)))} over the last axis. */
        LOG_COSH("log_cosh"),
        /** Keras's {@code poisson}: {@code mean(p - t log(p + 1e-7))} over the last axis. */
        POISSON("poisson"),
        /** Keras's {@code kl_divergence}: {@code sum(t log(t / p))} over the last axis. */
        KL_DIVERGENCE("kl_divergence"),
        /** Keras's {@code categorical_hinge}: {@code max(max((1 - t) p) - sum(t p) + 1, 0)} per sample. */
        CATEGORICAL_HINGE("categorical_hinge"),
        /** Keras's {@code cosine_similarity}: the negative cosine of the l2-normalised rows. */
        COSINE_SIMILARITY("cosine_similarity"),
        /** Keras's {@code binary_focal_crossentropy}: cross-entropy down-weighted by {@code (1 - p_t)^gamma}. */
        BINARY_FOCAL_CROSSENTROPY("binary_focal_crossentropy"),
        /** A user's subclass of {@link Loss}. */
        CUSTOM("custom");

        private final String kerasName;

        Kind(String kerasName) {
            this.kerasName = kerasName;
        }

        /**
         * The Keras name, e.g. {@code mean_squared_error}.
         *
         * @return the snake-case name Keras uses for this loss ({@code custom} for {@link #CUSTOM})
         */
        public String kerasName() {
            return kerasName;
        }
    }

    private final Kind kind;
    private final String name;
    private final boolean fromLogits;
    private final float delta;
    private final float labelSmoothing;
    private final float alpha;
    private final boolean classBalancing;

    private Loss(Kind kind, boolean fromLogits, float delta) {
        this(kind, fromLogits, delta, 0f, 0f, false);
    }

    private Loss(Kind kind, boolean fromLogits, float param, float labelSmoothing, float alpha, boolean classBalancing) {
        this.kind = kind;
        this.name = kind.kerasName();
        this.fromLogits = fromLogits;
        this.delta = param;
        this.labelSmoothing = labelSmoothing;
        this.alpha = alpha;
        this.classBalancing = classBalancing;
    }

    /**
     * A user-defined loss called {@code name}: override {@link #sampleLoss(float[], float[], float[])}. It
     * averages the per-sample values over the batch, as Keras's {@code sum_over_batch_size} does.
     *
     * @param name the loss's name, shown by {@link #name()} and in messages; not null or blank
     * @throws IllegalArgumentException when {@code name} is null or blank
     */
    protected Loss(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Loss: argument 'name' must be a non-empty string, got " + name);
        }
        this.kind = Kind.CUSTOM;
        this.name = name;
        this.fromLogits = false;
        this.delta = 0f;
        this.labelSmoothing = 0f;
        this.alpha = 0f;
        this.classBalancing = false;
    }

    /**
     * A user-defined loss's value for one sample, and its gradient: {@code yTrue} and {@code yPred} are one
     * row of targets and predictions; write {@code d(value)/d(yPred[j])} into {@code gradient[j]} and return
     * the value. Called for each row of each batch, on the host (see {@link CustomLosses}). Built-in losses
     * never call it.
     *
     * @param yTrue one row of targets, {@code outputs} values (read only)
     * @param yPred the matching row of model outputs, same length (read only)
     * @param gradient output: receives {@code d(value)/d(yPred[j])} at index {@code j}, same length; its
     *        previous contents are undefined
     * @return the sample's loss value
     * @throws UnsupportedOperationException in this base class: a subclass must override it
     */
    protected float sampleLoss(float[] yTrue, float[] yPred, float[] gradient) {
        throw new UnsupportedOperationException("Loss '" + name + "': a subclass must override sampleLoss");
    }

    private static float checkSmoothing(String loss, float s) {
        if (!(s >= 0f && s <= 1f)) {
            throw new IllegalArgumentException(loss + ": argument 'label_smoothing' must be in [0, 1], got " + s);
        }
        return s;
    }

    /**
     * Keras's {@code BinaryCrossentropy()}: probabilities as outputs, no label smoothing.
     *
     * @return a binary cross-entropy loss on probabilities
     */
    public static Loss binaryCrossentropy() {
        return binaryCrossentropy(false);
    }

    /**
     * Keras's {@code BinaryCrossentropy(from_logits)}, no label smoothing.
     *
     * @param fromLogits true when the model outputs logits (no sigmoid), false for probabilities
     * @return a binary cross-entropy loss
     */
    public static Loss binaryCrossentropy(boolean fromLogits) {
        return new Loss(Kind.BINARY_CROSSENTROPY, fromLogits, 0f);
    }

    /**
     * Keras's {@code BinaryCrossentropy(from_logits, label_smoothing)}: targets are squeezed towards 0.5,
     * {@code t (1 - s) + s / 2}, before the loss (not for the metrics).
     *
     * @param fromLogits true when the model outputs logits (no sigmoid), false for probabilities
     * @param labelSmoothing the smoothing {@code s}, in [0, 1]; 0 leaves the targets unchanged
     * @return a binary cross-entropy loss
     * @throws IllegalArgumentException when {@code labelSmoothing} is outside [0, 1] or NaN
     */
    public static Loss binaryCrossentropy(boolean fromLogits, float labelSmoothing) {
        return new Loss(Kind.BINARY_CROSSENTROPY, fromLogits, 0f,
                checkSmoothing("binary_crossentropy", labelSmoothing), 0f, false);
    }

    /**
     * Keras's {@code CategoricalCrossentropy()}: probabilities as outputs, no label smoothing.
     *
     * @return a categorical cross-entropy loss on probabilities, for one-hot targets
     */
    public static Loss categoricalCrossentropy() {
        return categoricalCrossentropy(false);
    }

    /**
     * Keras's {@code CategoricalCrossentropy(from_logits)}, no label smoothing.
     *
     * @param fromLogits true when the model outputs logits (no softmax), false for probabilities
     * @return a categorical cross-entropy loss, for one-hot targets
     */
    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new Loss(Kind.CATEGORICAL_CROSSENTROPY, fromLogits, 0f);
    }

    /**
     * Keras's {@code CategoricalCrossentropy(from_logits, label_smoothing)}: targets become
     * {@code t (1 - s) + s / classes} before the loss (not for the metrics), in the fused softmax path too.
     *
     * @param fromLogits true when the model outputs logits (no softmax), false for probabilities
     * @param labelSmoothing the smoothing {@code s}, in [0, 1]; 0 leaves the targets unchanged
     * @return a categorical cross-entropy loss, for one-hot targets
     * @throws IllegalArgumentException when {@code labelSmoothing} is outside [0, 1] or NaN
     */
    public static Loss categoricalCrossentropy(boolean fromLogits, float labelSmoothing) {
        return new Loss(Kind.CATEGORICAL_CROSSENTROPY, fromLogits, 0f,
                checkSmoothing("categorical_crossentropy", labelSmoothing), 0f, false);
    }

    /**
     * Targets are class indices {@code [n x 1]}; they are one-hot encoded when a batch is staged.
     *
     * @return a sparse categorical cross-entropy loss on probabilities
     */
    public static Loss sparseCategoricalCrossentropy() {
        return sparseCategoricalCrossentropy(false);
    }

    /**
     * Keras's {@code SparseCategoricalCrossentropy(from_logits)}: targets are class indices {@code [n x 1]}.
     *
     * @param fromLogits true when the model outputs logits (no softmax), false for probabilities
     * @return a sparse categorical cross-entropy loss
     */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new Loss(Kind.SPARSE_CATEGORICAL_CROSSENTROPY, fromLogits, 0f);
    }

    /**
     * Keras's {@code MeanSquaredError()} ({@code mse}): {@code mean((p - t)^2)} over the last axis.
     *
     * @return a mean squared error loss
     */
    public static Loss meanSquaredError() {
        return new Loss(Kind.MEAN_SQUARED_ERROR, false, 0f);
    }

    /**
     * Keras's {@code MeanAbsoluteError()} ({@code mae}): {@code mean(|p - t|)} over the last axis.
     *
     * @return a mean absolute error loss
     */
    public static Loss meanAbsoluteError() {
        return new Loss(Kind.MEAN_ABSOLUTE_ERROR, false, 0f);
    }

    /**
     * Keras's {@code MeanAbsolutePercentageError()} ({@code mape}): {@code 100 mean(|(t - p) / t|)}, the
     * divisor clipped away from 0 as in Keras.
     *
     * @return a mean absolute percentage error loss
     */
    public static Loss meanAbsolutePercentageError() {
        return new Loss(Kind.MEAN_ABSOLUTE_PERCENTAGE_ERROR, false, 0f);
    }

    /**
     * Keras's {@code MeanSquaredLogarithmicError()} ({@code msle}): {@code mean((log(1 + p) - log(1 + t))^2)}.
     *
     * @return a mean squared logarithmic error loss
     */
    public static Loss meanSquaredLogarithmicError() {
        return new Loss(Kind.MEAN_SQUARED_LOGARITHMIC_ERROR, false, 0f);
    }

    /**
     * Targets in {-1, 1}; targets that are all 0 or 1 are converted to -1/1 first, as Keras does.
     *
     * @return Keras's {@code Hinge()} loss, {@code mean(max(1 - t p, 0))}
     */
    public static Loss hinge() {
        return new Loss(Kind.HINGE, false, 0f);
    }

    /**
     * Keras's {@code SquaredHinge()}: {@code mean(max(1 - t p, 0)^2)}; targets in {-1, 1}, and targets that
     * are all 0 or 1 are converted to -1/1 first, as Keras does.
     *
     * @return a squared hinge loss
     */
    public static Loss squaredHinge() {
        return new Loss(Kind.SQUARED_HINGE, false, 0f);
    }

    /**
     * Keras's {@code Huber()} with its default delta 1.0.
     *
     * @return a Huber loss with {@code delta = 1}
     */
    public static Loss huber() {
        return huber(1f);
    }

    /**
     * Keras's {@code Huber(delta)}: {@code 0.5 e^2} for {@code |e| <= delta}, {@code delta (|e| - 0.5 delta)}
     * beyond, with {@code e = p - t}, averaged over the last axis.
     *
     * @param delta the error at which the loss turns from quadratic to linear, finite and &gt; 0
     * @return a Huber loss
     * @throws IllegalArgumentException when {@code delta} is not finite or not &gt; 0
     */
    public static Loss huber(float delta) {
        if (!(delta > 0f) || !Float.isFinite(delta)) {
            throw new IllegalArgumentException("huber: argument 'delta' must be finite and > 0, got " + delta);
        }
        return new Loss(Kind.HUBER, false, delta);
    }

    /**
     * Keras's {@code log_cosh}: {@code mean(log(cosh(p - t)))} over the last axis.
     *
     * @return a log-cosh loss
     */
    public static Loss logCosh() {
        return new Loss(Kind.LOG_COSH, false, 0f);
    }

    /**
     * Keras's {@code poisson}: {@code mean(p - t log(p + 1e-7))} over the last axis.
     *
     * @return a Poisson loss
     */
    public static Loss poisson() {
        return new Loss(Kind.POISSON, false, 0f);
    }

    /**
     * Keras's {@code kl_divergence}: both sides clipped to [1e-7, 1], {@code sum(t log(t / p))} over the last axis.
     *
     * @return a Kullback-Leibler divergence loss
     */
    public static Loss klDivergence() {
        return new Loss(Kind.KL_DIVERGENCE, false, 0f);
    }

    /**
     * Keras's {@code categorical_hinge}: {@code max(max((1 - t) p) - sum(t p) + 1, 0)} per sample.
     *
     * @return a categorical hinge loss
     */
    public static Loss categoricalHinge() {
        return new Loss(Kind.CATEGORICAL_HINGE, false, 0f);
    }

    /**
     * Keras's {@code cosine_similarity} (axis -1): the negative cosine of the l2-normalised rows.
     *
     * @return a cosine similarity loss (in [-1, 1], -1 when prediction and target point the same way)
     */
    public static Loss cosineSimilarity() {
        return new Loss(Kind.COSINE_SIMILARITY, false, 0f);
    }

    /**
     * Keras's {@code BinaryFocalCrossentropy()} defaults: no class balancing, alpha 0.25, gamma 2, probabilities.
     *
     * @return a binary focal cross-entropy loss with Keras's defaults
     */
    public static Loss binaryFocalCrossentropy() {
        return binaryFocalCrossentropy(false, 0.25f, 2f, false, 0f);
    }

    /**
     * Keras's {@code BinaryFocalCrossentropy(apply_class_balancing, alpha, gamma, from_logits, label_smoothing)}:
     * {@code (1 - p_t)^gamma} times the clipped binary cross-entropy, weighted by {@code alpha} for class 1 and
     * {@code 1 - alpha} for class 0 when balancing, averaged over the last axis.
     *
     * @param applyClassBalancing true to weight the class-1 terms by {@code alpha} and the class-0 terms by
     *        {@code 1 - alpha}; false ignores {@code alpha}
     * @param alpha the weight of class 1 when balancing, in [0, 1] (Keras default 0.25)
     * @param gamma the focusing exponent, finite and &gt;= 0 (Keras default 2; 0 gives plain cross-entropy)
     * @param fromLogits true when the model outputs logits (no sigmoid), false for probabilities
     * @param labelSmoothing squeezes targets towards 0.5 as {@code t (1 - s) + s / 2}, in [0, 1]
     * @return a binary focal cross-entropy loss
     * @throws IllegalArgumentException when {@code alpha} or {@code labelSmoothing} is outside [0, 1], or
     *         {@code gamma} is negative, infinite or NaN
     */
    public static Loss binaryFocalCrossentropy(boolean applyClassBalancing, float alpha, float gamma,
            boolean fromLogits, float labelSmoothing) {
        if (!(alpha >= 0f && alpha <= 1f)) {
            throw new IllegalArgumentException("binary_focal_crossentropy: argument 'alpha' must be in [0, 1], got "
                    + alpha);
        }
        if (!(gamma >= 0f) || !Float.isFinite(gamma)) {
            throw new IllegalArgumentException("binary_focal_crossentropy: argument 'gamma' must be finite and >= 0,"
                    + " got " + gamma);
        }
        return new Loss(Kind.BINARY_FOCAL_CROSSENTROPY, fromLogits, gamma,
                checkSmoothing("binary_focal_crossentropy", labelSmoothing), alpha, applyClassBalancing);
    }

    /**
     * Keras names and aliases: {@code categorical_crossentropy}, {@code mse}, {@code mae}, ...
     *
     * @param name a Keras loss name or alias, case-insensitive, surrounding blanks ignored
     * @return the built-in loss with Keras's default arguments
     * @throws IllegalArgumentException when {@code name} is null or names no built-in loss
     */
    public static Loss of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "binary_crossentropy", "bce" -> binaryCrossentropy();
            case "categorical_crossentropy", "cce" -> categoricalCrossentropy();
            case "sparse_categorical_crossentropy" -> sparseCategoricalCrossentropy();
            case "mean_squared_error", "mse" -> meanSquaredError();
            case "mean_absolute_error", "mae" -> meanAbsoluteError();
            case "mean_absolute_percentage_error", "mape" -> meanAbsolutePercentageError();
            case "mean_squared_logarithmic_error", "msle" -> meanSquaredLogarithmicError();
            case "hinge" -> hinge();
            case "squared_hinge" -> squaredHinge();
            case "huber", "huber_loss" -> huber();
            case "log_cosh", "logcosh" -> logCosh();
            case "poisson" -> poisson();
            case "kl_divergence", "kld", "kullback_leibler_divergence" -> klDivergence();
            case "categorical_hinge" -> categoricalHinge();
            case "cosine_similarity" -> cosineSimilarity();
            case "binary_focal_crossentropy" -> binaryFocalCrossentropy();
            default -> throw new IllegalArgumentException("argument 'loss': unknown loss '" + name
                    + "', expected one of [binary_crossentropy, categorical_crossentropy,"
                    + " sparse_categorical_crossentropy, mean_squared_error (mse), mean_absolute_error (mae),"
                    + " mean_absolute_percentage_error (mape), mean_squared_logarithmic_error (msle), hinge,"
                    + " squared_hinge, huber, log_cosh, poisson, kl_divergence (kld), categorical_hinge,"
                    + " cosine_similarity, binary_focal_crossentropy]");
        };
    }

    /**
     * The JSON-able form: {@code {"name": ..., "from_logits": ..., "label_smoothing": ...}} plus {@code delta}
     * (Huber) or {@code gamma}, {@code alpha} and {@code apply_class_balancing} (focal). Every parameter that
     * changes a number is written, so a reloaded model trains on exactly the same loss.
     *
     * @return a new mutable map of the loss's name and parameters, accepted by {@link #fromConfig(Map)}
     * @throws UnsupportedOperationException for a user-defined loss, which has no config to rebuild it from
     */
    public Map<String, Object> config() {
        if (kind == Kind.CUSTOM) {
            throw new UnsupportedOperationException("loss '" + name + "' is user-defined: it cannot be written to a"
                    + " model file (save the weights with saveWeights and rebuild the model in code)");
        }
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("name", name());
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", (double) labelSmoothing);
        if (kind == Kind.HUBER) {
            c.put("delta", (double) delta);
        }
        if (kind == Kind.BINARY_FOCAL_CROSSENTROPY) {
            c.put("gamma", (double) delta);
            c.put("alpha", (double) alpha);
            c.put("apply_class_balancing", classBalancing);
        }
        return c;
    }

    /**
     * Rebuilds a loss from its {@link #config()}.
     *
     * @param c a config map: {@code name} (required, a Keras name or alias) and the optional keys
     *        {@code from_logits}, {@code label_smoothing}, {@code delta}, {@code gamma}, {@code alpha},
     *        {@code apply_class_balancing}; absent keys take Keras's defaults, keys a loss does not use are ignored
     * @return the loss the config describes
     * @throws IllegalArgumentException when {@code name} is missing or unknown, a value has the wrong type or a
     *         parameter is out of range
     */
    public static Loss fromConfig(Map<String, Object> c) {
        Loss named = of(LayerConfig.string(c, "name", "loss"));
        boolean logits = LayerConfig.bool(c, "from_logits", false, "loss");
        float smoothing = LayerConfig.number(c, "label_smoothing", 0f, "loss");
        return switch (named.kind) {
            case BINARY_CROSSENTROPY -> binaryCrossentropy(logits, smoothing);
            case CATEGORICAL_CROSSENTROPY -> categoricalCrossentropy(logits, smoothing);
            case SPARSE_CATEGORICAL_CROSSENTROPY -> sparseCategoricalCrossentropy(logits);
            case HUBER -> huber(LayerConfig.number(c, "delta", named.delta, "loss"));
            case BINARY_FOCAL_CROSSENTROPY -> binaryFocalCrossentropy(
                    LayerConfig.bool(c, "apply_class_balancing", false, "loss"),
                    LayerConfig.number(c, "alpha", 0.25f, "loss"), LayerConfig.number(c, "gamma", 2f, "loss"),
                    logits, smoothing);
            default -> named;
        };
    }

    /**
     * What the loss computes; {@link Kind#CUSTOM} for a user's subclass.
     *
     * @return the loss's kind, never null
     */
    public Kind kind() {
        return kind;
    }

    /**
     * True when the model's output is taken as logits.
     *
     * @return true for Keras's {@code from_logits=True}, false when outputs are probabilities (always
     *         false for the losses that are not cross-entropies)
     */
    public boolean fromLogits() {
        return fromLogits;
    }

    /**
     * Huber's delta (0 for the others).
     *
     * @return Huber's delta, or the focal loss's gamma (which shares the field), 0 for the others
     */
    public float delta() {
        return delta;
    }

    /**
     * The focal loss's gamma (0 for the others).
     *
     * @return the focusing exponent of binary focal cross-entropy, 0 for every other loss
     */
    public float gamma() {
        return kind == Kind.BINARY_FOCAL_CROSSENTROPY ? delta : 0f;
    }

    /**
     * The focal loss's alpha, applied when class balancing is on.
     *
     * @return the class-1 weight in [0, 1] of binary focal cross-entropy, 0 for every other loss
     */
    public float alpha() {
        return alpha;
    }

    /**
     * The label smoothing of the cross-entropies (0 when none).
     *
     * @return the smoothing factor in [0, 1]
     */
    public float labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The Keras name, or a custom loss's own name.
     *
     * @return the name, e.g. {@code mean_squared_error}; never null
     */
    public String name() {
        return name;
    }

    /**
     * The batch loss, Keras's {@code loss(y_true, y_pred)} with {@code sum_over_batch_size}; see
     * {@link CustomLosses}. Runs on the default backend.
     *
     * @param yTrue targets {@code [n x outputs]} ({@code [n x 1]} class indices for the sparse loss); not null
     * @param yPred predictions {@code [n x outputs]} (logits when {@link #fromLogits()}); not null
     * @return the mean over the {@code n} rows of the per-sample losses
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the row counts differ or the targets do not fit the predictions
     */
    public final double call(FloatMatrix yTrue, FloatMatrix yPred) {
        return CustomLosses.call(this, yTrue, yPred);
    }

    /**
     * The per-sample losses, Keras's {@code reduction=None}: one value per row of {@code yPred}.
     * Runs on the default backend.
     *
     * @param yTrue targets {@code [n x outputs]} ({@code [n x 1]} class indices for the sparse loss); not null
     * @param yPred predictions {@code [n x outputs]} (logits when {@link #fromLogits()}); not null
     * @return a new array of {@code n} losses, row {@code i}'s at index {@code i}
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the row counts differ or the targets do not fit the predictions
     */
    public final float[] callPerSample(FloatMatrix yTrue, FloatMatrix yPred) {
        return CustomLosses.perSample(this, yTrue, yPred);
    }

    boolean isSparse() {
        return kind == Kind.SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    boolean isCategorical() {
        return kind == Kind.CATEGORICAL_CROSSENTROPY || kind == Kind.SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    /** True for the losses Keras sums over the last axis (the others it averages). */
    boolean sumsOverLastAxis() {
        return isCategorical() || kind == Kind.KL_DIVERGENCE || kind == Kind.CATEGORICAL_HINGE
                || kind == Kind.COSINE_SIMILARITY || kind == Kind.CUSTOM;
    }

    /** The row kernel for the losses that couple a row's elements, or null. */
    RowLoss rowKind() {
        return switch (kind) {
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> RowLoss.CATEGORICAL_CROSSENTROPY;
            case CATEGORICAL_HINGE -> RowLoss.CATEGORICAL_HINGE;
            case COSINE_SIMILARITY -> RowLoss.COSINE_SIMILARITY;
            default -> null;
        };
    }

    /** The fused kernel for a cross-entropy, or null for the element-wise losses. */
    LogitsLoss logitsKind() {
        return switch (kind) {
            case BINARY_CROSSENTROPY -> LogitsLoss.SIGMOID;
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> LogitsLoss.SOFTMAX;
            default -> null;
        };
    }

    /** True when the model's output activation and this loss fuse into one kernel on the logits. */
    boolean fusesWith(ActivationFunction outputActivation) {
        if (fromLogits || outputActivation == null) {
            return false;
        }
        return (isCategorical() && outputActivation.isSoftmax())
                || (kind == Kind.BINARY_CROSSENTROPY && outputActivation.isSigmoid());
    }

    /** The element-wise kernel for this loss (used when it does not fuse with the output activation). */
    ElementLoss elementKind() {
        return switch (kind) {
            case BINARY_CROSSENTROPY -> ElementLoss.BINARY_CROSSENTROPY;
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> ElementLoss.CATEGORICAL_CROSSENTROPY;
            case MEAN_SQUARED_ERROR -> ElementLoss.MSE;
            case MEAN_ABSOLUTE_ERROR -> ElementLoss.MAE;
            case MEAN_ABSOLUTE_PERCENTAGE_ERROR -> ElementLoss.MAPE;
            case MEAN_SQUARED_LOGARITHMIC_ERROR -> ElementLoss.MSLE;
            case HINGE -> ElementLoss.HINGE;
            case SQUARED_HINGE -> ElementLoss.SQUARED_HINGE;
            case HUBER -> ElementLoss.HUBER;
            case LOG_COSH -> ElementLoss.LOG_COSH;
            case POISSON -> ElementLoss.POISSON;
            case KL_DIVERGENCE -> ElementLoss.KL_DIVERGENCE;
            case BINARY_FOCAL_CROSSENTROPY -> classBalancing ? ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED
                    : ElementLoss.BINARY_FOCAL_CROSSENTROPY;
            case CATEGORICAL_HINGE, COSINE_SIMILARITY, CUSTOM -> null;
        };
    }

    /** The factor that turns a sum of per-element losses of a {@code [batch x outputs]} batch into the Keras mean. */
    float scale(int batch, int outputs) {
        return sumsOverLastAxis() ? 1f / batch : 1f / ((float) batch * outputs);
    }

    /** Number of target columns a batch of {@code outputs} model outputs needs (1 for sparse labels). */
    int targetColumns(int outputs) {
        return isSparse() ? 1 : outputs;
    }

    /**
     * Checks targets against the model's output width and converts them once, before training: hinge
     * losses map 0/1 labels to -1/1 (Keras), sparse labels must be integers in [0, outputs).
     */
    FloatMatrix prepareTargets(String arg, FloatMatrix y, int outputs) {
        return Targets.prepare(this, arg, y, outputs);
    }

    /** True for the hinge losses, which take -1/1 labels. */
    boolean isHinge() {
        return kind == Kind.HINGE || kind == Kind.SQUARED_HINGE;
    }

    @Override
    public String toString() {
        return name() + (fromLogits ? "(from_logits=true)" : "") + (kind == Kind.HUBER ? "(delta=" + delta + ")" : "")
                + (labelSmoothing > 0 ? "(label_smoothing=" + labelSmoothing + ")" : "")
                + (kind == Kind.BINARY_FOCAL_CROSSENTROPY ? "(gamma=" + delta + ", alpha=" + alpha
                        + ", apply_class_balancing=" + classBalancing + ")" : "");
    }
}
