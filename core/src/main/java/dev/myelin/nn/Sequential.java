package dev.myelin.nn;

import dev.myelin.Backends;
import dev.myelin.data.MalformedFileException;
import dev.myelin.io.Json;
import dev.myelin.spi.Backend;
import dev.myelin.spi.CounterRandom;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's {@code Sequential} model: a stack of {@link Layer}s trained on one {@link Backend}.
 *
 * <pre>{@code
 * try (Sequential model = new Sequential(Backends.get())) {
 *     model.input(784)
 *          .add(new Dense(64, "relu"))
 *          .add(new Dense(10, "softmax"));
 *     model.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), "accuracy");
 *     History h = model.fit(x, y, new FitOptions().epochs(10).batchSize(128));
 *     FloatMatrix p = model.predict(xTest);
 * }
 * }</pre>
 *
 * <p>This class holds the layer stack (layers, input size, seed, build) and the compile settings; what the
 * model does with them (fit, the gradient API, evaluate, predict, weights, summary, the threading rules)
 * is described in {@link Model}. When the output activation is softmax with a categorical cross-entropy,
 * or sigmoid with binary cross-entropy, the activation and the loss run as one fused kernel on the logits.
 */
public final class Sequential extends Model {

    /** The seed used when none is given, so that runs are reproducible (Keras draws a random one). */
    public static final long DEFAULT_SEED = 1337L;

    /** A model on the default backend ({@link Backends#get()}). */
    public Sequential() {
        this(Backends.get());
    }

    /**
     * An empty model on {@code backend}.
     *
     * @param backend the backend that holds the weights and runs every kernel, not null
     */
    public Sequential(Backend backend) {
        super(Objects.requireNonNull(backend, "Sequential: argument 'backend' is null"));
    }

    /**
     * A model of {@code layers} on {@code backend}.
     *
     * @param backend the backend that holds the weights and runs every kernel, not null
     * @param layers the layers in order, each new (not in another model), none null
     * @return a new, unbuilt and uncompiled model
     */
    public static Sequential of(Backend backend, Layer... layers) {
        Sequential m = new Sequential(backend);
        for (Layer l : layers) {
            m.add(l);
        }
        return m;
    }

    /**
     * The backend the model runs on.
     *
     * @return the backend given at construction
     */
    public Backend backend() {
        return backend;
    }

    // ------------------------------------------------------------------ structure

    /**
     * Keras's {@code Input(shape=(n,))}: the number of input features.
     *
     * @param features the number of columns of {@code x}, at least 1; once built, only the built size
     * @return this model, for chaining
     * @throws IllegalArgumentException if {@code features} is below 1
     * @throws IllegalStateException if the model is closed, or built for another input size
     */
    public Sequential input(int features) {
        ensureOpen();
        if (features < 1) {
            throw new IllegalArgumentException("Sequential.input: argument 'features' must be >= 1, got " + features);
        }
        if (built && features != inputSize) {
            throw new IllegalStateException("Sequential.input: the model is built for " + inputSize
                    + " input features, got " + features);
        }
        inputSize = features;
        return this;
    }

    /**
     * Appends {@code layer} (before the model is built).
     *
     * @param layer a new layer, not null, not already in this or another model
     * @return this model, for chaining
     * @throws IllegalStateException if the model is closed or already built
     * @throws IllegalArgumentException if the layer is already in this model or built in another
     */
    public Sequential add(Layer layer) {
        ensureOpen();
        Objects.requireNonNull(layer, "Sequential.add: argument 'layer' is null");
        if (built) {
            throw new IllegalStateException("Sequential.add: the model is already built; add layers before"
                    + " compile, fit or predict");
        }
        if (layers.contains(layer)) {
            throw new IllegalArgumentException("Sequential.add: layer '" + layer.name() + "' is already in the model");
        }
        if (layer.owned || layer.isBuilt()) {
            throw new IllegalArgumentException("Sequential.add: layer '" + layer.name() + "' is already built in"
                    + " another model; create a new layer");
        }
        layers.add(layer);
        return this;
    }

    /**
     * Keras's {@code Sequential.pop}: removes and returns the last layer. Only before the model is built
     * (a built model's weights, buffers and optimizer are sized for its layers; build a new model instead).
     *
     * @return the removed layer
     * @throws IllegalStateException if the model is closed, already built, or has no layers
     */
    public Layer pop() {
        ensureOpen();
        if (built) {
            throw new IllegalStateException("Sequential.pop: the model is already built; pop layers before"
                    + " compile, fit or predict");
        }
        if (layers.isEmpty()) {
            throw new IllegalStateException("Sequential.pop: the model has no layers");
        }
        return layers.remove(layers.size() - 1);
    }

    /**
     * The seed of the initial weights, dropout masks and shuffling (set before the model is built).
     *
     * @param seed any value; the same seed gives the same weights, masks and shuffles
     * @return this model, for chaining
     * @throws IllegalStateException if the model is already built
     */
    public Sequential seed(long seed) {
        if (built) {
            throw new IllegalStateException("Sequential.seed: the model is already built; set the seed first");
        }
        this.seed = seed;
        return this;
    }

    /**
     * The seed of the initial weights, dropout masks and shuffling.
     *
     * @return the seed set by {@link #seed(long)}, else {@link #DEFAULT_SEED}
     */
    public long seed() {
        return seed;
    }

    /**
     * The layers, in order.
     *
     * @return an unmodifiable copy of the layer list, first layer first
     */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /**
     * Whether the weights exist (after {@link #build(int)}, or the first compile/fit/predict that knows the input
     * size).
     *
     * @return true once the model is built
     */
    public boolean isBuilt() {
        return built;
    }

    /**
     * The number of input features, or -1 while unknown.
     *
     * @return the input size set by {@link #input(int)} or a build, or -1
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The width of the model's output (valid once the input size is known).
     *
     * @return the number of output columns of the last layer for the current input size
     */
    public int outputSize() {
        int w = inputSize;
        for (Layer l : layers) {
            w = l.outputSize(w);
        }
        return w;
    }

    /** Creates the weights for {@code features} inputs (Keras's {@code build}). Called by fit/predict if needed. */
    @Override
    public synchronized Sequential build(int features) {
        input(features);
        if (built) {
            return this;
        }
        if (layers.isEmpty()) {
            throw new IllegalStateException("Sequential.build: the model has no layers; add at least one");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Layer l : layers) {
            int n = counts.merge(l.namePrefix(), 1, Integer::sum);
            l.assignName(n == 1 ? l.namePrefix() : l.namePrefix() + "_" + (n - 1));
        }
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            if (names.contains(l.name())) {
                throw new IllegalStateException("Sequential.build: two layers are named '" + l.name() + "'");
            }
            names.add(l.name());
        }
        int w = features;
        List<Parameter> all = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).owned = true;
            w = layers.get(i).build(backend, w, CounterRandom.streamSeed(seed, i));
            all.addAll(layers.get(i).weights());
        }
        outputs = w;
        params = all.toArray(new Parameter[0]);
        plans.bind(layers, inputSize, outputs);
        steps.allocate();
        built = true;
        if (optimizer != null) {
            bindTraining();
        }
        return this;
    }

    /** Undoes {@link #build}: a failed load into an unbuilt model leaves it unbuilt. */
    @Override
    synchronized void unbuild() {
        if (!built) {
            return;
        }
        built = false;
        plans.close();
        plans = new PlanPool(backend);
        steps.release();
        for (Layer l : layers) {
            l.unbuild();
        }
        params = new Parameter[0];
        trainable = new Parameter[0];
        outputs = 0;
    }

    // ------------------------------------------------------------------ whole-model files

    /**
     * Keras's {@code model.save}: writes one zip file holding {@code config.json} (architecture, compile
     * settings, iteration and epoch counters), {@code model.safetensors} (weights) and
     * {@code optimizer.safetensors} (optimizer slots), atomically. {@link #load} resumes from it exactly.
     *
     * @param file the zip file to write, not null; an existing file is replaced
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if the model is closed or not built, or its optimizer cannot be stored
     */
    public void save(Path file) throws IOException {
        ensureOpen();
        Objects.requireNonNull(file, "save: argument 'file' is null");
        ModelFile.save(this, file);
    }

    /**
     * Keras's {@code load_model}: a model rebuilt from a {@link #save}d file on {@code backend}, compiled
     * and with its optimizer state, so training continues as if uninterrupted. {@code config.json} is
     * checked in full before any device memory is taken; weights and optimizer slots are checked against
     * their headers before their data is read; on any error nothing stays allocated.
     *
     * @param file a file written by {@link #save}, not null
     * @param backend the backend to build the model on, not null
     * @return the restored model, built and compiled, with its weights, optimizer state and counters
     * @throws IOException if the file cannot be read or is malformed
     */
    public static Sequential load(Path file, Backend backend) throws IOException {
        Objects.requireNonNull(file, "load: argument 'file' is null");
        Objects.requireNonNull(backend, "load: argument 'backend' is null");
        return ModelFile.load(file, backend);
    }

    /**
     * Keras's {@code to_json}: the architecture ({@code class_name}, layers with their config, seed, input size).
     *
     * @return the architecture as a JSON object text, without weights or compile settings
     */
    public String toJson() {
        return Json.write(ModelFile.architecture(this));
    }

    /**
     * Keras's {@code model_from_json}: a new, uncompiled model of the architecture in {@code json}.
     *
     * @param json the text of {@link #toJson()}, not null
     * @param backend the backend to create the model on, not null
     * @return a new, unbuilt and uncompiled model, its input size set when the JSON gives one
     * @throws MalformedFileException if {@code json} is not valid JSON
     * @throws IllegalArgumentException if it is not a {@code Sequential} architecture this library reads
     */
    @SuppressWarnings("unchecked")
    public static Sequential fromJson(String json, Backend backend) throws MalformedFileException {
        Objects.requireNonNull(json, "fromJson: argument 'json' is null");
        Object parsed = Json.parse(json, "fromJson");
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("fromJson: argument 'json' must be a JSON object");
        }
        return ModelFile.fromArchitecture((Map<String, Object>) m, backend, "fromJson");
    }

    // ------------------------------------------------------------------ compile

    /**
     * Keras's {@code compile(optimizer, loss, metrics)} with Keras names, e.g. ("adam", "mse", "mae").
     *
     * @param optimizer a Keras optimizer name, e.g. {@code "adam"} or {@code "sgd"}, at its default settings
     * @param loss a Keras loss name, e.g. {@code "mse"} or {@code "sparse_categorical_crossentropy"}
     * @param metrics Keras metric names, e.g. {@code "accuracy"}, each at most once; none is allowed
     * @return this model, for chaining
     * @throws IllegalArgumentException if a name is unknown or a metric repeats
     */
    public Sequential compile(String optimizer, String loss, String... metrics) {
        return compile(Optimizer.of(optimizer), Loss.of(loss), metrics);
    }

    /**
     * Keras's {@code compile} with metrics by name.
     *
     * @param optimizer the optimizer, not null; it gets fresh state
     * @param loss the loss, not null
     * @param metrics Keras metric names, e.g. {@code "accuracy"}, each at most once; none is allowed
     * @return this model, for chaining
     * @throws IllegalArgumentException if a metric name is unknown or repeats
     */
    public Sequential compile(Optimizer optimizer, Loss loss, String... metrics) {
        Objects.requireNonNull(metrics, "compile: argument 'metrics' is null");
        List<Metric> ms = new ArrayList<>();
        for (String m : metrics) {
            ms.add(Metric.of(m));
        }
        return compile(optimizer, loss, ms);
    }

    /**
     * Keras's {@code compile}: sets the optimizer (with fresh state: iterations restart at 0), the loss and
     * the metrics. Which weights train is fixed here from the layers' {@link Layer#trainable()}.
     *
     * @param optimizer the optimizer, not null; its state is reset and the iteration count restarts at 0
     * @param loss the loss, not null
     * @param metrics the metrics, none null and no two with the same name; each is copied, may be empty
     * @return this model, for chaining (built now if the input size is known)
     * @throws IllegalStateException if the model is closed, has no layers, or a training call runs
     * @throws IllegalArgumentException if two metrics have the same name
     */
    public Sequential compile(Optimizer optimizer, Loss loss, List<Metric> metrics) {
        ensureOpen();
        Objects.requireNonNull(optimizer, "compile: argument 'optimizer' is null");
        Objects.requireNonNull(loss, "compile: argument 'loss' is null");
        Objects.requireNonNull(metrics, "compile: argument 'metrics' is null");
        if (layers.isEmpty()) {
            throw new IllegalStateException("compile: the model has no layers; add at least one");
        }
        List<String> names = new ArrayList<>();
        for (Metric m : metrics) {
            Objects.requireNonNull(m, "compile: argument 'metrics' holds null");
            if (names.contains(m.name())) {
                throw new IllegalArgumentException("compile: argument 'metrics' names '" + m.name() + "' twice");
            }
            names.add(m.name());
        }
        guard.enter("compile");
        try {
            for (Metric m : this.metrics) {
                m.release();
            }
            this.optimizer = optimizer;
            this.loss = loss;
            this.metrics = metrics.stream().map(Metric::copy).toArray(Metric[]::new);
            this.fused = loss.fusesWith(layers.get(layers.size() - 1).outputActivation());
            if (built) {
                bindTraining();
            } else if (inputSize > 0) {
                build(inputSize);
            }
        } finally {
            guard.exit();
        }
        return this;
    }

    /** Creates the optimizer's state and the metrics' accumulators for the built model. */
    private void bindTraining() {
        List<Parameter> t = new ArrayList<>();
        for (Layer l : layers) {
            List<Parameter> w = l.trainableWeights();
            l.weightsTrained = !w.isEmpty();
            t.addAll(w);
        }
        trainable = t.toArray(new Parameter[0]);
        for (Parameter p : trainable) {
            p.initSlots(optimizer);
        }
        optimizer.reset();
        iterations = 0;
        for (Metric m : metrics) {
            m.bind(backend, outputs, loss);
        }
    }

}
