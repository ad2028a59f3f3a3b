package dev.myelin.nn;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry of layer types that {@link #fromConfig} (and so a saved model) can rebuild: the built-in
 * layers are registered, a user adds their own with
 * {@code Layers.register("MyLayer", MyLayer::fromConfig)}. Safe to use from many threads.
 */
public final class Layers {

    private static final Map<String, Function<Map<String, Object>, Layer>> FACTORIES = new ConcurrentHashMap<>();

    static {
        FACTORIES.put("Dense", Dense::fromConfig);
        FACTORIES.put("Dropout", Dropout::fromConfig);
        FACTORIES.put("Activation", Activation::fromConfig);
        FACTORIES.put("Rescaling", Rescaling::fromConfig);
        FACTORIES.put("BatchNormalization", BatchNormalization::fromConfig);
        FACTORIES.put("LayerNormalization", LayerNormalization::fromConfig);
        FACTORIES.put("GaussianNoise", GaussianNoise::fromConfig);
        FACTORIES.put("Normalization", Normalization::fromConfig);
    }

    private Layers() {
    }

    /**
     * Registers {@code factory} for layers of {@code type} (the value of {@link Layer#type()}); replaces an
     * earlier registration of the same type, so a reloaded class can register again.
     *
     * @param type the layer type name, not null or blank
     * @param factory builds a layer of {@code type} from its config map; not null
     * @throws NullPointerException if {@code type} or {@code factory} is null
     * @throws IllegalArgumentException if {@code type} is blank
     */
    public static void register(String type, Function<Map<String, Object>, Layer> factory) {
        Objects.requireNonNull(type, "Layers.register: argument 'type' is null");
        Objects.requireNonNull(factory, "Layers.register: argument 'factory' is null");
        if (type.isBlank()) {
            throw new IllegalArgumentException("Layers.register: argument 'type' is blank");
        }
        FACTORIES.put(type, factory);
    }

    /**
     * Whether {@code type} can be rebuilt.
     *
     * @param type a layer type name, null allowed
     * @return true if a factory is registered for {@code type} (false for null)
     */
    public static boolean isRegistered(String type) {
        return type != null && FACTORIES.containsKey(type);
    }

    /**
     * A new layer of {@code type} from its {@link Layer#config()}; the factory must give that type back.
     *
     * @param type the layer type name, as {@link Layer#type()} returns it
     * @param config the layer's config map; not null
     * @return the layer the registered factory built
     * @throws NullPointerException if {@code config} is null or the factory returns null
     * @throws IllegalArgumentException if no factory is registered for {@code type}
     * @throws IllegalStateException if the factory built a layer of another type
     */
    public static Layer fromConfig(String type, Map<String, Object> config) {
        Objects.requireNonNull(config, "Layers.fromConfig: argument 'config' is null");
        Function<Map<String, Object>, Layer> f = type == null ? null : FACTORIES.get(type);
        if (f == null) {
            throw new IllegalArgumentException("Layers.fromConfig: unknown layer type '" + type + "'; registered: "
                    + new TreeMap<>(FACTORIES).keySet() + " (a custom layer needs Layers.register(type, factory))");
        }
        Layer layer = Objects.requireNonNull(f.apply(config), "Layers.fromConfig: the factory of '" + type
                + "' returned null");
        if (!layer.type().equals(type)) {
            throw new IllegalStateException("Layers.fromConfig: the factory of '" + type + "' made a layer of type '"
                    + layer.type() + "'");
        }
        return layer;
    }
}
