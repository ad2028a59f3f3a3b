package dev.myelin.spark;

import dev.myelin.nn.Activation;
import dev.myelin.nn.Dense;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Optimizer;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model's architecture and compile settings as plain values, so that an executor can rebuild the
 * same {@link Sequential} without a Myelin object crossing the wire. Built fluently:
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.input(20).dense(32, "relu").dropout(0.1f).dense(3, "softmax")
 *         .compile("adam", 0.01f, "sparse_categorical_crossentropy", "accuracy").seed(7);
 * }</pre>
 *
 * @param inputs       the number of input features
 * @param layers       the layers in order
 * @param optimizer    the Keras name of the optimizer, or {@code null} for a model that only predicts
 * @param learningRate the optimizer's learning rate; {@code NaN} keeps the optimizer's default
 * @param loss         the Keras name of the loss, or {@code null} for a model that only predicts
 * @param metrics      the Keras names of the metrics
 * @param seed         the seed of the initial weights, dropout masks and shuffles
 */
public record ModelSpec(int inputs, List<LayerSpec> layers, String optimizer, float learningRate, String loss,
        List<String> metrics, long seed) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * One layer.
     *
     * @param type       {@code Dense}, {@code Dropout} or {@code Activation}
     * @param units      the width of a Dense layer (0 for the others)
     * @param activation the activation of a Dense or Activation layer ({@code null} for Dropout)
     * @param rate       the drop rate of a Dropout layer (0 for the others)
     */
    public record LayerSpec(String type, int units, String activation, float rate) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Checks the type and the arguments it needs. */
        public LayerSpec {
            Objects.requireNonNull(type, "LayerSpec: argument 'type' is null");
            switch (type) {
                case "Dense" -> {
                    if (units < 1) {
                        throw new IllegalArgumentException("LayerSpec: argument 'units' of a Dense layer must be >= 1,"
                                + " got " + units);
                    }
                }
                case "Dropout", "Activation" -> {
                }
                default -> throw new IllegalArgumentException("LayerSpec: argument 'type' must be one of [Dense,"
                        + " Dropout, Activation], got '" + type + "'");
            }
        }
    }

    /** Checks the arguments and copies the lists. */
    public ModelSpec {
        if (inputs < 1) {
            throw new IllegalArgumentException("ModelSpec: argument 'inputs' must be >= 1, got " + inputs);
        }
        layers = List.copyOf(Objects.requireNonNull(layers, "ModelSpec: argument 'layers' is null"));
        metrics = List.copyOf(Objects.requireNonNull(metrics, "ModelSpec: argument 'metrics' is null"));
        if ((optimizer == null) != (loss == null)) {
            throw new IllegalArgumentException("ModelSpec: arguments 'optimizer' and 'loss' must both be set or both"
                    + " be null, got optimizer=" + optimizer + ", loss=" + loss);
        }
    }

    /** A spec with {@code features} inputs and no layers yet, not compiled, with Myelin's default seed. */
    public static ModelSpec input(int features) {
        return new ModelSpec(features, List.of(), null, Float.NaN, null, List.of(), Sequential.DEFAULT_SEED);
    }

    /** This spec with a Dense layer of {@code units} and {@code activation} appended. */
    public ModelSpec dense(int units, String activation) {
        return with(new LayerSpec("Dense", units, activation, 0f));
    }

    /** This spec with a Dropout layer of {@code rate} appended. */
    public ModelSpec dropout(float rate) {
        return with(new LayerSpec("Dropout", 0, null, rate));
    }

    /** This spec with an Activation layer appended. */
    public ModelSpec activation(String activation) {
        return with(new LayerSpec("Activation", 0, activation, 0f));
    }

    /** This spec compiled with the optimizer, learning rate ({@code NaN}: its default), loss and metrics. */
    public ModelSpec compile(String optimizer, float learningRate, String loss, String... metrics) {
        Objects.requireNonNull(optimizer, "compile: argument 'optimizer' is null");
        Objects.requireNonNull(loss, "compile: argument 'loss' is null");
        return new ModelSpec(inputs, layers, optimizer, learningRate, loss, List.of(metrics), seed);
    }

    /** This spec with another seed. */
    public ModelSpec seed(long seed) {
        return new ModelSpec(inputs, layers, optimizer, learningRate, loss, metrics, seed);
    }

    /** This spec with another learning rate (the tuner's most common axis). */
    public ModelSpec learningRate(float learningRate) {
        return new ModelSpec(inputs, layers, optimizer, learningRate, loss, metrics, seed);
    }

    /** True when the spec names an optimizer and a loss, so the model it builds can be trained. */
    public boolean compiled() {
        return optimizer != null;
    }

    /** The width of the model's output: the units of the last Dense layer. */
    public int outputs() {
        int w = inputs;
        for (LayerSpec l : layers) {
            if (l.type().equals("Dense")) {
                w = l.units();
            }
        }
        return w;
    }

    /**
     * A new model on {@code backend}, built (initial weights from the seed) and, when the spec is compiled,
     * compiled. The caller closes it.
     */
    public Sequential build(Backend backend) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("ModelSpec.build: the spec has no layers; add at least one");
        }
        Sequential m = new Sequential(backend).seed(seed).input(inputs);
        try {
            for (LayerSpec l : layers) {
                m.add(switch (l.type()) {
                    case "Dense" -> new Dense(l.units(), l.activation());
                    case "Dropout" -> new Dropout(l.rate());
                    default -> new Activation(l.activation());
                });
            }
            if (compiled()) {
                Optimizer opt = Optimizer.of(optimizer);
                if (!Float.isNaN(learningRate)) {
                    opt.learningRate(learningRate);
                }
                m.compile(opt, Loss.of(loss), metrics.toArray(String[]::new));
            } else {
                m.build(inputs);
            }
            return m;
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
    }

    private ModelSpec with(LayerSpec layer) {
        List<LayerSpec> all = new ArrayList<>(layers);
        all.add(layer);
        return new ModelSpec(inputs, all, optimizer, learningRate, loss, metrics, seed);
    }
}
