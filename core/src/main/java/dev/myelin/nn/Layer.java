package dev.myelin.nn;

import dev.myelin.spi.Backend;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A layer of a {@link Sequential} model, the contract every layer implements, built-in ({@link Dense},
 * {@link Dropout}, {@link Activation}, {@link BatchNormalization}, ...) or a user's own.
 *
 * <p>The life of a layer: the model calls {@link #build(int)} once the input width is known, where the
 * layer creates its weights with {@link #addWeight}; then, for every batch size it meets, it asks for a
 * {@link Frame} of per-call buffers ({@link #frame(int)}) and runs {@link #forward} and {@link #backward}
 * with that frame. Everything a forward pass must remember for its backward pass (its input, a mask)
 * belongs in the frame, never in the layer's fields: several threads may predict with one model at once,
 * each with its own frames. Weights live on the model's backend and are updated by the optimizer from the
 * gradients {@code backward} writes.
 *
 * <p>A layer describes itself by {@link #type()} and {@link #config()} (JSON-able values), and
 * {@link Layers#register} maps the type back to a factory, so that a saved model can rebuild user layers.
 * See the README for a worked example.
 */
public abstract class Layer {

    private String name;
    private boolean trainable = true;
    /** Set when a model builds the layer: a layer belongs to one model. */
    boolean owned;
    private Backend backend;
    private long seed;
    private int inputSize = -1;
    private final List<Parameter> weights = new ArrayList<>();

    /**
     * A layer named {@code name}, or named by the model ({@code dense}, {@code dense_1}, ...) when null.
     *
     * @param name the layer's name, unique within its model; null to let the model assign one
     */
    protected Layer(String name) {
        this.name = name;
    }

    /**
     * The layer's name: given, or Keras-style {@code dense}, {@code dense_1}, ... assigned by the model.
     *
     * @return the name, or null while an unnamed layer is not yet in a built model
     */
    public final String name() {
        return name;
    }

    /** Names the layer; only before the model is built. */
    final void assignName(String n) {
        if (name == null) {
            name = n;
            autoNamed = true;
        }
    }

    private boolean autoNamed;
    /**
     * Whether the model trains this layer's weights: set when it binds training ({@code compile}), from
     * {@link #trainableWeights()}; backward writes weight gradients only for such a layer.
     */
    boolean weightsTrained;

    /** Undoes a build (a failed load into an unbuilt model): frees the weights, forgets the backend and auto name. */
    final void unbuild() {
        release();
        weights.clear();
        backend = null;
        inputSize = -1;
        owned = false;
        if (autoNamed) {
            name = null;
            autoNamed = false;
        }
    }

    /**
     * Gives the layer its name (before the model is built); the subclasses' fluent {@code name(String)}.
     *
     * @param n the new name; not null
     * @throws NullPointerException when {@code n} is null
     * @throws IllegalStateException when the layer is already built
     */
    protected final void rename(String n) {
        checkNotBuilt();
        this.name = Objects.requireNonNull(n, type() + ": argument 'name' is null");
    }

    /**
     * The Keras class name, e.g. {@code Dense}; also the key of {@link Layers#register}.
     *
     * @return the layer's type name, constant for a class; never null
     */
    public abstract String type();

    /**
     * The prefix of automatic names: {@link #type()} in snake case ({@code BatchNormalization} gives
     * {@code batch_normalization}).
     *
     * @return the prefix to which the model appends {@code _1}, {@code _2}, ... for later layers of a type
     */
    protected String namePrefix() {
        return type().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the optimizer updates this layer's trainable weights (Keras's {@code layer.trainable}).
     *
     * @return true (the default) when the layer's weights are trained, false when frozen
     */
    public final boolean trainable() {
        return trainable;
    }

    /**
     * Sets {@link #trainable()}; set it before {@code compile}, as Keras requires, for it to take effect.
     *
     * @param trainable true to train the layer's weights, false to freeze them
     * @return this layer, for chaining
     */
    public Layer trainable(boolean trainable) {
        this.trainable = trainable;
        return this;
    }

    /**
     * The output width for {@code inputSize} inputs (valid before the layer is built).
     *
     * @param inputSize the number of input columns (features per row), &gt; 0
     * @return the number of output columns the layer produces for that input width
     */
    public abstract int outputSize(int inputSize);

    /**
     * Creates the layer's weights for {@code inputSize} inputs with {@link #addWeight}; {@link #backend()} and
     * {@link #seed()} are set when this is called. The default creates none.
     *
     * @param inputSize the number of input columns (features per row) the layer will receive, &gt; 0
     */
    protected void build(int inputSize) {
    }

    /** Called by the model: binds the layer to {@code backend} and builds it. Returns the output width. */
    final int build(Backend b, int inputs, long layerSeed) {
        this.backend = b;
        this.seed = layerSeed;
        this.inputSize = inputs;
        build(inputs);
        return outputSize(inputs);
    }

    /**
     * Whether the layer has been built.
     *
     * @return true once the model has built the layer on a backend (and until it is unbuilt)
     */
    public final boolean isBuilt() {
        return backend != null;
    }

    /**
     * The backend the layer was built on (null before {@link #build(int)}).
     *
     * @return the model's backend, which holds the layer's weights; null before the layer is built
     */
    protected final Backend backend() {
        return backend;
    }

    /**
     * The layer's random seed, derived from the model's seed and the layer's position.
     *
     * @return the seed for the layer's initializers and random masks; 0 before the layer is built
     */
    protected final long seed() {
        return seed;
    }

    /**
     * The input width the layer was built for, or -1 before it is built.
     *
     * @return the number of input columns, or -1 before the layer is built
     */
    public final int inputSize() {
        return inputSize;
    }

    /**
     * Keras's {@code add_weight}: creates the weight {@code <layer name>/<shortName>} of {@code rows x cols}
     * initialised on the host by {@code init} (a {@code [1 x n]} vector has fan-in = fan-out = n, as Keras's
     * 1-D shapes), with a gradient buffer when {@code trainable}. The {@code k}-th weight of a layer draws its
     * values from seed {@code k == 0 ? seed() : streamSeed(seed(), k)}. A non-trainable weight (a moving mean)
     * is saved and loaded with the others but never touched by the optimizer.
     *
     * @param shortName the weight's name within the layer, e.g. {@code kernel} or {@code bias}
     * @param rows the number of rows of the weight matrix (1 for a vector), &gt; 0
     * @param cols the number of columns of the weight matrix, &gt; 0
     * @param init the initializer that produces the starting values; not null
     * @param reg the regularizer whose penalty is added to the loss, or null for none
     * @param trainableWeight true for a weight the optimizer updates (it gets a gradient buffer), false for
     *        state such as a moving mean
     * @return the new weight, also added to {@link #weights()}
     * @throws IllegalStateException when called outside {@link #build(int)} (the layer has no backend yet)
     * @throws NullPointerException when {@code init} is null
     * @throws dev.myelin.spi.AllocationException when the weight's tensors, or the host array of its initial
     *     values, do not fit (then nothing of the weight stays allocated)
     */
    protected final Parameter addWeight(String shortName, int rows, int cols, Initializer init, Regularizer reg,
            boolean trainableWeight) {
        if (backend == null) {
            throw new IllegalStateException(type() + ".addWeight: call it from build(int)");
        }
        Objects.requireNonNull(init, type() + ".addWeight: argument 'init' is null");
        int k = weights.size();
        long s = k == 0 ? seed : CounterRandom.streamSeed(seed, k);
        String weight = name + "/" + shortName;
        InitialValues.checkFits(backend.name(), weight, rows, cols);
        // The gradient after the upload: the host array of the initial values is garbage by then, so a
        // backend that keeps tensors on the heap never holds three copies of the weight at once.
        Tensor value = backend.tensor(rows, cols);
        Tensor gradient = null;
        try {
            value.copyFrom(InitialValues.generate(init, backend.name(), weight, rows, cols, s));
            gradient = trainableWeight ? backend.tensor(rows, cols) : null;
        } catch (RuntimeException e) {
            value.close();
            throw e;
        }
        Parameter p = new Parameter(weight, value, gradient, reg);
        weights.add(p);
        return p;
    }

    /**
     * Every weight in creation order (Keras order: kernel before bias), trainable or not. Empty before build.
     *
     * @return an unmodifiable copy of the layer's weights
     */
    public final List<Parameter> weights() {
        return List.copyOf(weights);
    }

    /** The weights the optimizer updates: the trainable ones of a trainable layer. */
    final List<Parameter> trainableWeights() {
        if (!trainable) {
            return List.of();
        }
        return weights.stream().filter(Parameter::trainable).toList();
    }

    /**
     * The number of values in the layer's weights, or 0 before it is built.
     *
     * @return the total number of scalars over all weights, trainable or not (Keras's {@code count_params})
     */
    public final long countParams() {
        long n = 0;
        for (Parameter p : weights) {
            n += p.size();
        }
        return n;
    }

    /**
     * The activation this layer applies last, which a loss may fuse with; null when it applies none.
     *
     * @return the output activation, or null (the default)
     */
    protected ActivationFunction outputActivation() {
        return null;
    }

    /**
     * Allocates the per-call buffers for batches of {@code batch} rows; the default holds none.
     *
     * @param batch the number of rows of the batches the frame will serve, &gt; 0
     * @return a new frame, owned and released by the model
     */
    protected Frame frame(int batch) {
        return new Frame();
    }

    /**
     * Forward pass of {@code x} ({@code [batch x inputs]}); returns the output, a tensor of the frame or
     * {@code x} itself. Must not change {@code x} unless it returns it.
     *
     * @param f this layer's frame for the batch size of {@code x}, made by {@link #frame(int)}
     * @param x the input, {@code [batch x inputSize()]}
     * @param pass what the call is part of (training or inference, random key, fused output activation)
     * @return the output, {@code [batch x outputSize(inputSize())]}; owned by the frame (or {@code x})
     */
    protected abstract Tensor forward(Frame f, Tensor x, Pass pass);

    /**
     * Backward pass: {@code dy} is the gradient of the loss with respect to this layer's output and may be
     * overwritten. Writes the gradients of the trainable weights ({@link Parameter#gradient()}) when
     * {@code pass.needWeightGradients()}; returns the gradient with respect to the input, or null when
     * {@code pass.needInputGradient()} is false. The model does not call it for a layer below every layer
     * it trains (nothing there is needed).
     *
     * @param f the frame used by the matching {@link #forward} call, holding what it saved
     * @param dy the gradient of the loss with respect to the output, {@code [batch x outputs]}
     * @param pass the same pass as the matching forward call
     * @return the gradient with respect to the input, {@code [batch x inputSize()]}, or null
     */
    protected abstract Tensor backward(Frame f, Tensor dy, Pass pass);

    /**
     * The layer's configuration (Keras's {@code get_config}): JSON-able values only (String, Number,
     * Boolean, List, Map, null). The base holds {@code name} and {@code trainable}; subclasses add theirs.
     * {@link Layers#fromConfig} gives the map back to the factory registered for {@link #type()}.
     *
     * @return a new mutable map with at least {@code name} and {@code trainable}
     */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", trainable);
        return c;
    }

    /**
     * Applies the base keys of {@link #config()} ({@code name}, {@code trainable}) to this new layer.
     *
     * @param <L> the concrete layer type, so factories can chain the call
     * @param config a config map as written by {@link #config()}; absent or null keys leave the defaults
     * @return this layer
     * @throws IllegalArgumentException when {@code name} is not a string or {@code trainable} not a boolean
     * @throws IllegalStateException when the layer is already built
     */
    protected final <L extends Layer> L withBaseConfig(Map<String, Object> config) {
        Object n = config.get("name");
        if (n != null) {
            rename(LayerConfig.string(config, "name", type()));
        }
        if (config.get("trainable") != null) {
            trainable(LayerConfig.bool(config, "trainable", true, type()));
        }
        @SuppressWarnings("unchecked")
        L self = (L) this;
        return self;
    }

    /** Throws when the layer is already built (configuration changes come before). */
    protected final void checkNotBuilt() {
        if (isBuilt()) {
            throw new IllegalStateException(type() + " '" + name + "' is already built; configure it before the"
                    + " model is built");
        }
    }

    /** Frees the weights. */
    void release() {
        for (Parameter p : weights) {
            p.release();
        }
    }

    /**
     * The per-call buffers of one layer for one batch size. A subclass keeps its tensors in fields and frees
     * them in {@link #release()}; the plain frame closes the tensors given to its constructor.
     */
    public static class Frame {
        private final Tensor[] tensors;

        /**
         * A frame owning {@code tensors} (null entries allowed).
         *
         * @param tensors the tensors the frame frees in {@link #release()}; the array is copied
         */
        public Frame(Tensor... tensors) {
            this.tensors = tensors.clone();
        }

        /** Frees the frame's tensors. */
        protected void release() {
            close(tensors);
        }
    }

    /**
     * What a forward or backward call is part of: training or inference, the random key of the step,
     * and whether the layer leaves its output activation to a fused loss. The model reuses one per batch
     * plan, so a step allocates nothing.
     */
    public static final class Pass {
        boolean training;
        long step;
        long firstRow;
        boolean skipOutputActivation;
        boolean needInputGradient;
        boolean needWeightGradients;

        /** Only the model makes passes (one per batch plan). */
        Pass() {
        }

        /**
         * True in training (dropout drops, batch statistics are used), false in inference.
         *
         * @return whether this call is part of a training step
         */
        public boolean training() {
            return training;
        }

        /**
         * The key of this step's random numbers: the optimizer iteration, unless a trainer sets it.
         *
         * @return the step key of random layers' masks
         */
        public long step() {
            return step;
        }

        /**
         * The global index of the batch's first row: random layers key row {@code r} as row
         * {@code firstRow + r}, so a batch split over workers draws the masks of the whole batch.
         *
         * @return the index, in the whole batch, of this call's row 0 (0 when the batch is not split)
         */
        public long firstRow() {
            return firstRow;
        }

        /**
         * True for the last layer when the loss applies {@link #outputActivation()} itself (fused).
         *
         * @return whether the layer must return its output before its output activation
         */
        public boolean skipOutputActivation() {
            return skipOutputActivation;
        }

        /**
         * In backward: whether the gradient with respect to the input is needed (false for the first layer).
         *
         * @return true when {@link #backward} must return the input gradient, false when it may return null
         */
        public boolean needInputGradient() {
            return needInputGradient;
        }

        /**
         * In backward: whether the layer's weight gradients are needed, true when the model trains its weights
         * (the layer was {@link Layer#trainable()} when the model was compiled). When false, backward need not
         * write, and should not compute, any {@link Parameter#gradient()} of the layer.
         *
         * @return true when {@link #backward} must write the layer's weight gradients
         */
        public boolean needWeightGradients() {
            return needWeightGradients;
        }
    }

    /** Closes every non-null tensor. */
    static void close(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null) {
                t.close();
            }
        }
    }
}
