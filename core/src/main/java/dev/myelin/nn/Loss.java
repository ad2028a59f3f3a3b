package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;
import java.util.Locale;

/**
 * A Keras loss, averaged over the batch. Cross-entropies sum over the classes (categorical) or average
 * over the last axis (binary); every other loss averages over the last axis, as Keras does before its
 * batch mean. Probabilities are clipped at 1e-7. With {@code fromLogits} the model's output is taken as
 * logits and the exact log of the fused {@link LogitsLoss} kernel is used.
 */
public final class Loss {

    /** What the loss computes. */
    public enum Kind {
        /** Keras {@code binary_crossentropy}. */
        BINARY_CROSSENTROPY("binary_crossentropy"),
        /** Keras {@code categorical_crossentropy}. */
        CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
        /** Keras {@code sparse_categorical_crossentropy}. */
        SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy"),
        /** Keras {@code mean_squared_error}. */
        MEAN_SQUARED_ERROR("mean_squared_error"),
        /** Keras {@code mean_absolute_error}. */
        MEAN_ABSOLUTE_ERROR("mean_absolute_error"),
        /** Keras {@code mean_absolute_percentage_error}. */
        MEAN_ABSOLUTE_PERCENTAGE_ERROR("mean_absolute_percentage_error"),
        /** Keras {@code mean_squared_logarithmic_error}. */
        MEAN_SQUARED_LOGARITHMIC_ERROR("mean_squared_logarithmic_error"),
        /** Keras {@code hinge}. */
        HINGE("hinge"),
        /** Keras {@code squared_hinge}. */
        SQUARED_HINGE("squared_hinge"),
        /** Keras {@code huber}. */
        HUBER("huber");

        private final String kerasName;

        Kind(String kerasName) {
            this.kerasName = kerasName;
        }

        /**
         * The Keras name, e.g. {@code mean_squared_error}.
         *
         * @return the name
         */
        public String kerasName() {
            return kerasName;
        }
    }

    private final Kind kind;
    private final boolean fromLogits;
    private final float delta;

    private Loss(Kind kind, boolean fromLogits, float delta) {
        this.kind = kind;
        this.fromLogits = fromLogits;
        this.delta = delta;
    }

    /**
     * Keras {@code binary_crossentropy} on probabilities.
     *
     * @return the loss
     */
    public static Loss binaryCrossentropy() {
        return binaryCrossentropy(false);
    }

    /**
     * Keras {@code binary_crossentropy}.
     *
     * @param fromLogits true when the model outputs logits, not probabilities
     * @return the loss
     */
    public static Loss binaryCrossentropy(boolean fromLogits) {
        return new Loss(Kind.BINARY_CROSSENTROPY, fromLogits, 0f);
    }

    /**
     * Keras {@code categorical_crossentropy} on probabilities; targets are one-hot.
     *
     * @return the loss
     */
    public static Loss categoricalCrossentropy() {
        return categoricalCrossentropy(false);
    }

    /**
     * Keras {@code categorical_crossentropy}; targets are one-hot.
     *
     * @param fromLogits true when the model outputs logits, not probabilities
     * @return the loss
     */
    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new Loss(Kind.CATEGORICAL_CROSSENTROPY, fromLogits, 0f);
    }

    /**
     * Targets are class indices {@code [n x 1]}; they are one-hot encoded when a batch is staged.
     *
     * @return the loss
     */
    public static Loss sparseCategoricalCrossentropy() {
        return sparseCategoricalCrossentropy(false);
    }

    /**
     * Keras {@code sparse_categorical_crossentropy}; targets are class indices.
     *
     * @param fromLogits true when the model outputs logits, not probabilities
     * @return the loss
     */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new Loss(Kind.SPARSE_CATEGORICAL_CROSSENTROPY, fromLogits, 0f);
    }

    /**
     * Keras {@code mean_squared_error}.
     *
     * @return the loss
     */
    public static Loss meanSquaredError() {
        return new Loss(Kind.MEAN_SQUARED_ERROR, false, 0f);
    }

    /**
     * Keras {@code mean_absolute_error}.
     *
     * @return the loss
     */
    public static Loss meanAbsoluteError() {
        return new Loss(Kind.MEAN_ABSOLUTE_ERROR, false, 0f);
    }

    /**
     * Keras {@code mean_absolute_percentage_error}.
     *
     * @return the loss
     */
    public static Loss meanAbsolutePercentageError() {
        return new Loss(Kind.MEAN_ABSOLUTE_PERCENTAGE_ERROR, false, 0f);
    }

    /**
     * Keras {@code mean_squared_logarithmic_error}.
     *
     * @return the loss
     */
    public static Loss meanSquaredLogarithmicError() {
        return new Loss(Kind.MEAN_SQUARED_LOGARITHMIC_ERROR, false, 0f);
    }

    /**
     * Targets in {-1, 1}; targets that are all 0 or 1 are converted to -1/1 first, as Keras does.
     *
     * @return the loss
     */
    public static Loss hinge() {
        return new Loss(Kind.HINGE, false, 0f);
    }

    /**
     * Keras {@code squared_hinge}; targets as for {@link #hinge()}.
     *
     * @return the loss
     */
    public static Loss squaredHinge() {
        return new Loss(Kind.SQUARED_HINGE, false, 0f);
    }

    /**
     * Keras default delta 1.0.
     *
     * @return the loss
     */
    public static Loss huber() {
        return huber(1f);
    }

    /**
     * Keras {@code Huber(delta)}: quadratic below {@code delta}, linear above.
     *
     * @param delta the threshold, positive and finite
     * @return the loss
     */
    public static Loss huber(float delta) {
        if (!(delta > 0f) || !Float.isFinite(delta)) {
            throw new IllegalArgumentException("huber: argument 'delta' must be finite and > 0, got " + delta);
        }
        return new Loss(Kind.HUBER, false, delta);
    }

    /**
     * Keras names and aliases: {@code categorical_crossentropy}, {@code mse}, {@code mae}, ...
     *
     * @param name a Keras loss name or alias
     * @return the loss
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
            default -> throw new IllegalArgumentException("argument 'loss': unknown loss '" + name
                    + "', expected one of [binary_crossentropy, categorical_crossentropy,"
                    + " sparse_categorical_crossentropy, mean_squared_error (mse), mean_absolute_error (mae),"
                    + " mean_absolute_percentage_error (mape), mean_squared_logarithmic_error (msle), hinge,"
                    + " squared_hinge, huber]");
        };
    }

    /**
     * Which loss this is.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether the model's outputs are logits (cross-entropies only).
     *
     * @return true for logits
     */
    public boolean fromLogits() {
        return fromLogits;
    }

    /**
     * Huber's threshold (0 for the other losses).
     *
     * @return the delta
     */
    public float delta() {
        return delta;
    }

    /**
     * The Keras name of the loss's kind.
     *
     * @return the name
     */
    public String name() {
        return kind.kerasName();
    }

    boolean isSparse() {
        return kind == Kind.SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    boolean isCategorical() {
        return kind == Kind.CATEGORICAL_CROSSENTROPY || kind == Kind.SPARSE_CATEGORICAL_CROSSENTROPY;
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
        };
    }

    /** The factor that turns a sum of per-element losses of a {@code [batch x outputs]} batch into the Keras mean. */
    float scale(int batch, int outputs) {
        return isCategorical() ? 1f / batch : 1f / ((float) batch * outputs);
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
        int want = targetColumns(outputs);
        if (y.cols() != want) {
            throw new IllegalArgumentException("argument '" + arg + "' must have " + want + " column"
                    + (want == 1 ? "" : "s") + (isSparse() ? " (class indices for " + name() + ")"
                    : " (the model's output width)") + ", got [" + y.rows() + " x " + y.cols() + "]");
        }
        float[] d = y.data();
        if (isSparse()) {
            for (int i = 0; i < d.length; i++) {
                float v = d[i];
                if (!(v >= 0 && v < outputs) || v != Math.rint(v)) {
                    throw new IllegalArgumentException("argument '" + arg + "': " + name() + " needs class indices in"
                            + " [0, " + outputs + "), got " + v + " in row " + i);
                }
            }
        }
        if (kind == Kind.HINGE || kind == Kind.SQUARED_HINGE) {
            boolean binary = true;
            for (float v : d) {
                if (v != 0f && v != 1f) {
                    binary = false;
                    break;
                }
            }
            if (binary) {
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = 2f * d[i] - 1f;
                }
                return new FloatMatrix(y.rows(), y.cols(), out);
            }
        }
        return y;
    }

    @Override
    public String toString() {
        return name() + (fromLogits ? "(from_logits=true)" : "") + (kind == Kind.HUBER ? "(delta=" + delta + ")" : "");
    }
}
