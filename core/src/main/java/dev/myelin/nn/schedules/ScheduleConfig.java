package dev.myelin.nn.schedules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's serialized form of the built-in schedules, as {@code keras.saving.serialize_keras_object} writes
 * it inside an optimizer's config: {@code {"module": "keras.optimizers.schedules", "class_name":
 * "ExponentialDecay", "config": {...}, "registered_name": null}}. Model files hold it, so a model trained
 * with a schedule resumes with the same one.
 */
public final class ScheduleConfig {

    private static final String MODULE = "keras.optimizers.schedules";

    private ScheduleConfig() {
    }

    /**
     * The serialized form of {@code schedule}, or null when it has no config (a user lambda).
     *
     * @param schedule a schedule, not null
     * @return a new map with {@code module}, {@code class_name}, {@code config} and {@code registered_name}, or null
     */
    public static Map<String, Object> toConfig(LearningRateSchedule schedule) {
        Map<String, Object> config = schedule.config();
        if (config == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", MODULE);
        m.put("class_name", schedule.getClass().getSimpleName());
        m.put("config", config);
        m.put("registered_name", null);
        return m;
    }

    /**
     * Rebuilds a built-in schedule from {@link #toConfig}'s form; absent optional keys take Keras's defaults.
     *
     * @param serialized the map with {@code class_name} and {@code config}, not null
     * @return a new schedule equal to the one serialized
     * @throws IllegalArgumentException naming the key when the class is not a built-in schedule or a value is
     *     missing, of the wrong type or out of range
     */
    public static LearningRateSchedule fromConfig(Map<String, Object> serialized) {
        Object name = serialized.get("class_name");
        if (!(serialized.get("config") instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("learning_rate schedule: 'config' must be a JSON object, got "
                    + serialized.get("config"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) raw;
        String t = "learning_rate schedule " + name;
        return switch (String.valueOf(name)) {
            case "ExponentialDecay" -> new ExponentialDecay(number(c, "initial_learning_rate", null, t),
                    integer(c, "decay_steps", t), number(c, "decay_rate", null, t), bool(c, "staircase", t));
            case "InverseTimeDecay" -> new InverseTimeDecay(number(c, "initial_learning_rate", null, t),
                    integer(c, "decay_steps", t), number(c, "decay_rate", null, t), bool(c, "staircase", t));
            case "PolynomialDecay" -> new PolynomialDecay(number(c, "initial_learning_rate", null, t),
                    integer(c, "decay_steps", t), number(c, "end_learning_rate", 0.0001, t), number(c, "power", 1.0, t),
                    bool(c, "cycle", t));
            case "CosineDecay" -> new CosineDecay(number(c, "initial_learning_rate", null, t),
                    integer(c, "decay_steps", t), number(c, "alpha", 0.0, t),
                    c.get("warmup_target") == null ? null : number(c, "warmup_target", null, t),
                    c.get("warmup_steps") == null ? 0 : integer(c, "warmup_steps", t));
            case "PiecewiseConstantDecay" -> {
                List<?> b = list(c, "boundaries", t);
                List<?> v = list(c, "values", t);
                long[] boundaries = new long[b.size()];
                double[] values = new double[v.size()];
                for (int i = 0; i < boundaries.length; i++) {
                    if (!(b.get(i) instanceof Long l)) {
                        throw bad(t, "boundaries[" + i + "]", "an integer", b.get(i));
                    }
                    boundaries[i] = l;
                }
                for (int i = 0; i < values.length; i++) {
                    if (!(v.get(i) instanceof Number n)) {
                        throw bad(t, "values[" + i + "]", "a number", v.get(i));
                    }
                    values[i] = n.doubleValue();
                }
                yield new PiecewiseConstantDecay(boundaries, values);
            }
            default -> throw new IllegalArgumentException("learning_rate schedule: 'class_name' must be one of"
                    + " [ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay, CosineDecay],"
                    + " got " + name);
        };
    }

    private static double number(Map<String, Object> c, String key, Double fallback, String t) {
        Object v = c.get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw bad(t, key, "a number", v);
        }
        return n.doubleValue();
    }

    private static long integer(Map<String, Object> c, String key, String t) {
        Object v = c.get(key);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        throw bad(t, key, "an integer", v);
    }

    private static boolean bool(Map<String, Object> c, String key, String t) {
        Object v = c.get(key);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw bad(t, key, "true or false", v);
        }
        return b;
    }

    private static List<?> list(Map<String, Object> c, String key, String t) {
        if (!(c.get(key) instanceof List<?> l)) {
            throw bad(t, key, "a list", c.get(key));
        }
        return l;
    }

    private static IllegalArgumentException bad(String t, String key, String expected, Object actual) {
        return new IllegalArgumentException(t + ": '" + key + "' must be " + expected + ", got " + actual);
    }
}
