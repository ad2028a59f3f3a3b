package dev.myelin.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading and writing the JSON-able values of a layer's {@link Layer#config()}: typed getters that name the
 * layer type, the key, the expected and the actual value, and the Keras-style forms of initializers and
 * regularizers (a name when Keras's defaults say it all, else {@code {"class_name": ..., "config": {...}}}).
 */
public final class LayerConfig {

    private LayerConfig() {
    }

    /**
     * The string at {@code key}, which must be present.
     *
     * @param config the layer's config map, as from {@link Layer#config()} or parsed JSON; not null
     * @param key the config key to read, e.g. {@code "name"}
     * @param type the layer type named in error messages, e.g. {@code "Dense"}
     * @return the string value, never null
     * @throws IllegalArgumentException if the key is absent, null or not a string
     */
    public static String string(Map<String, Object> config, String key, String type) {
        Object v = config.get(key);
        if (!(v instanceof String s)) {
            throw bad(type, key, "a string", v);
        }
        return s;
    }

    /**
     * The string at {@code key}, or {@code fallback} when absent or null.
     *
     * @param config the layer's config map, as from {@link Layer#config()} or parsed JSON; not null
     * @param key the config key to read
     * @param fallback the value returned when the key is absent or maps to null; may be null
     * @param type the layer type named in error messages, e.g. {@code "Dense"}
     * @return the string value, or {@code fallback}
     * @throws IllegalArgumentException if the value is present but not a string
     */
    public static String string(Map<String, Object> config, String key, String fallback, String type) {
        return config.get(key) == null ? fallback : string(config, key, type);
    }

    /**
     * The integer at {@code key}, which must be present and whole.
     *
     * @param config the layer's config map, as from {@link Layer#config()} or parsed JSON; not null
     * @param key the config key to read, e.g. {@code "units"}
     * @param type the layer type named in error messages, e.g. {@code "Dense"}
     * @return the value as an int; JSON numbers such as {@code 64.0} are accepted when whole
     * @throws IllegalArgumentException if the key is absent, or the value is not a number, not whole, or
     *         outside the int range
     */
    public static int integer(Map<String, Object> config, String key, String type) {
        Object v = config.get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw bad(type, key, "an integer", v);
    }

    /**
     * The number at {@code key} as a float, or {@code fallback} when absent or null.
     *
     * @param config the layer's config map, as from {@link Layer#config()} or parsed JSON; not null
     * @param key the config key to read, e.g. {@code "rate"}
     * @param fallback the value returned when the key is absent or maps to null
     * @param type the layer type named in error messages, e.g. {@code "Dropout"}
     * @return the value narrowed to a float, or {@code fallback}
     * @throws IllegalArgumentException if the value is present but not a number
     */
    public static float number(Map<String, Object> config, String key, float fallback, String type) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.floatValue();
        }
        throw bad(type, key, "a number", v);
    }

    /**
     * The boolean at {@code key}, or {@code fallback} when absent or null.
     *
     * @param config the layer's config map, as from {@link Layer#config()} or parsed JSON; not null
     * @param key the config key to read, e.g. {@code "use_bias"}
     * @param fallback the value returned when the key is absent or maps to null
     * @param type the layer type named in error messages, e.g. {@code "Dense"}
     * @return the boolean value, or {@code fallback}
     * @throws IllegalArgumentException if the value is present but not a boolean
     */
    public static boolean bool(Map<String, Object> config, String key, boolean fallback, String type) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(type, key, "true or false", v);
    }

    /** The JSON-able form of an activation: its Keras name, or {name, alpha} when alpha is not the default. */
    static Object activation(ActivationFunction f) {
        if (f.isSoftmax() || f.alpha() == f.elementWise().defaultAlpha()) {
            return f.name();
        }
        return map("class_name", f.name(), "config", map("alpha", (double) f.alpha()));
    }

    /**
     * Checks that {@code axis} names the last axis (-1 or [-1]), the only one the normalization layers support
     * for their {@code [batch x features]} input; absent means Keras's default, -1.
     */
    static void requireLastAxis(Map<String, Object> config, String type) {
        Object axis = config.get("axis");
        if (axis != null && !isMinusOne(axis) && !(axis instanceof java.util.List<?> l && l.size() == 1
                && isMinusOne(l.get(0)))) {
            throw new IllegalArgumentException(type + " config: key 'axis' must be -1 (the features of a [batch x "
                    + "features] input), got " + axis);
        }
    }

    private static boolean isMinusOne(Object v) {
        return v instanceof Number n && n.doubleValue() == -1;
    }

    static ActivationFunction activation(Map<String, Object> config, String key, String type) {
        Object v = config.get(key);
        if (v == null || v instanceof String) {
            return ActivationFunction.of((String) v);
        }
        Map<String, Object> m = object(v, type, key);
        ActivationFunction named = ActivationFunction.of(string(m, "class_name", type));
        Map<String, Object> c = object(m.get("config"), type, key + ".config");
        return ActivationFunction.of(named.elementWise(), number(c, "alpha", named.alpha(), type));
    }

    /** The JSON-able form of an initializer. */
    static Object initializer(Initializer init) {
        return switch (init) {
            case Initializer.Constant c when c.value() == 0f || c.value() == 1f -> c.name();
            case Initializer.Constant c -> map("class_name", "constant", "config", map("value", (double) c.value()));
            case Initializer.RandomUniform u -> map("class_name", "random_uniform", "config",
                    map("minval", (double) u.minval(), "maxval", (double) u.maxval()));
            case Initializer.RandomNormal n -> map("class_name", n.name(), "config",
                    map("mean", (double) n.mean(), "stddev", (double) n.stddev()));
            case Initializer.VarianceScaling v -> Initializer.of(v.name()).equals(v) ? v.name()
                    : map("class_name", "variance_scaling", "config", map("scale", v.scale(), "mode", v.mode(),
                            "distribution", v.uniform() ? "uniform" : "truncated_normal"));
        };
    }

    static Initializer initializer(Map<String, Object> config, String key, Initializer fallback, String type) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            return Initializer.of(s);
        }
        Map<String, Object> m = object(v, type, key);
        String name = string(m, "class_name", type);
        Map<String, Object> c = object(m.get("config"), type, key + ".config");
        return switch (name) {
            case "constant" -> new Initializer.Constant(number(c, "value", 0f, type));
            case "random_uniform" -> new Initializer.RandomUniform(number(c, "minval", -0.05f, type),
                    number(c, "maxval", 0.05f, type));
            case "random_normal", "truncated_normal" -> new Initializer.RandomNormal(number(c, "mean", 0f, type),
                    number(c, "stddev", 0.05f, type), name.equals("truncated_normal"));
            case "variance_scaling" -> new Initializer.VarianceScaling("variance_scaling",
                    number(c, "scale", 1f, type), string(c, "mode", "fan_in", type),
                    "uniform".equals(string(c, "distribution", "truncated_normal", type)));
            default -> Initializer.of(name);
        };
    }

    /** The JSON-able form of a regularizer: null for none, else {@code {"l1": .., "l2": ..}}. */
    static Object regularizer(Regularizer r) {
        return r == null ? null : map("l1", (double) r.l1(), "l2", (double) r.l2());
    }

    static Regularizer regularizer(Map<String, Object> config, String key, String type) {
        Object v = config.get(key);
        if (v == null || v instanceof String) {
            return Regularizer.of((String) v);
        }
        Map<String, Object> m = object(v, type, key);
        return new Regularizer(number(m, "l1", 0f, type), number(m, "l2", 0f, type));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String type, String key) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(type, key, "an object", v);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static IllegalArgumentException bad(String type, String key, String expected, Object actual) {
        return new IllegalArgumentException(type + " config: key '" + key + "' must be " + expected + ", got "
                + (actual instanceof String ? "\"" + actual + "\"" : String.valueOf(actual)));
    }
}
