package dev.myelin.nn;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in losses by name and as config maps: Keras's names and aliases ({@link Loss#of}), and the
 * JSON-able form a model file stores ({@link Loss#config()}, {@link Loss#fromConfig}). Every parameter that
 * changes a number is written, so a reloaded model trains on exactly the same loss.
 */
final class LossConfig {

    private LossConfig() {
    }

    /** The built-in loss called {@code name} (a Keras name or alias), with Keras's default arguments. */
    static Loss named(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "binary_crossentropy", "bce" -> Loss.binaryCrossentropy();
            case "categorical_crossentropy", "cce" -> Loss.categoricalCrossentropy();
            case "sparse_categorical_crossentropy" -> Loss.sparseCategoricalCrossentropy();
            case "mean_squared_error", "mse" -> Loss.meanSquaredError();
            case "mean_absolute_error", "mae" -> Loss.meanAbsoluteError();
            case "mean_absolute_percentage_error", "mape" -> Loss.meanAbsolutePercentageError();
            case "mean_squared_logarithmic_error", "msle" -> Loss.meanSquaredLogarithmicError();
            case "hinge" -> Loss.hinge();
            case "squared_hinge" -> Loss.squaredHinge();
            case "huber", "huber_loss" -> Loss.huber();
            case "log_cosh", "logcosh" -> Loss.logCosh();
            case "poisson" -> Loss.poisson();
            case "kl_divergence", "kld", "kullback_leibler_divergence" -> Loss.klDivergence();
            case "categorical_hinge" -> Loss.categoricalHinge();
            case "cosine_similarity" -> Loss.cosineSimilarity();
            case "binary_focal_crossentropy" -> Loss.binaryFocalCrossentropy();
            default -> throw new IllegalArgumentException("argument 'loss': unknown loss '" + name
                    + "', expected one of [binary_crossentropy, categorical_crossentropy,"
                    + " sparse_categorical_crossentropy, mean_squared_error (mse), mean_absolute_error (mae),"
                    + " mean_absolute_percentage_error (mape), mean_squared_logarithmic_error (msle), hinge,"
                    + " squared_hinge, huber, log_cosh, poisson, kl_divergence (kld), categorical_hinge,"
                    + " cosine_similarity, binary_focal_crossentropy]");
        };
    }

    /** The config map of a built-in loss; a user-defined one has none. */
    static Map<String, Object> of(Loss loss) {
        Loss.Kind kind = loss.kind();
        if (kind == Loss.Kind.CUSTOM) {
            throw new UnsupportedOperationException("loss '" + loss.name() + "' is user-defined: it cannot be written"
                    + " to a model file (save the weights with saveWeights and rebuild the model in code)");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", loss.name());
        c.put("from_logits", loss.fromLogits());
        c.put("label_smoothing", (double) loss.labelSmoothing());
        if (kind == Loss.Kind.HUBER) {
            c.put("delta", (double) loss.delta());
        }
        if (kind == Loss.Kind.BINARY_FOCAL_CROSSENTROPY) {
            c.put("gamma", (double) loss.gamma());
            c.put("alpha", (double) loss.alpha());
            c.put("apply_class_balancing", loss.classBalancing());
        }
        return c;
    }

    /** The loss a config map describes; absent keys take Keras's defaults, unused keys are ignored. */
    static Loss read(Map<String, Object> c) {
        Loss named = named(LayerConfig.string(c, "name", "loss"));
        boolean logits = LayerConfig.bool(c, "from_logits", false, "loss");
        float smoothing = LayerConfig.number(c, "label_smoothing", 0f, "loss");
        return switch (named.kind()) {
            case BINARY_CROSSENTROPY -> Loss.binaryCrossentropy(logits, smoothing);
            case CATEGORICAL_CROSSENTROPY -> Loss.categoricalCrossentropy(logits, smoothing);
            case SPARSE_CATEGORICAL_CROSSENTROPY -> Loss.sparseCategoricalCrossentropy(logits);
            case HUBER -> Loss.huber(LayerConfig.number(c, "delta", named.delta(), "loss"));
            case BINARY_FOCAL_CROSSENTROPY -> Loss.binaryFocalCrossentropy(
                    LayerConfig.bool(c, "apply_class_balancing", false, "loss"),
                    LayerConfig.number(c, "alpha", 0.25f, "loss"), LayerConfig.number(c, "gamma", 2f, "loss"),
                    logits, smoothing);
            default -> named;
        };
    }
}
