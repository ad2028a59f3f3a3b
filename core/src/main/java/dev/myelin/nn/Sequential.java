package dev.myelin.nn;

import dev.myelin.Backends;
import dev.myelin.Tensor;
import dev.myelin.data.FloatMatrix;
import dev.myelin.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Keras's {@code Sequential} model of dense layers, trained on one {@link Backend}.
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
 * <p>Training stays on the device: weights, gradients, optimizer state, activations, the loss and the
 * metrics' accumulators live on the backend for the whole fit. A step gathers its batch on the host into
 * a reused staging array, uploads it, and reads back nothing (the epoch's loss is read once at its end;
 * one scalar a step only when a callback asks for batch losses). Buffers are allocated once per batch
 * size, so after the first epoch a step allocates nothing.
 *
 * <p>When the output activation is softmax with a categorical cross-entropy, or sigmoid with binary
 * cross-entropy, the activation and the loss run as one fused kernel on the logits.
 */
public final class Sequential implements AutoCloseable {

    /** The seed used when none is given, so that runs are reproducible (Keras draws a random one). */
    public static final long DEFAULT_SEED = 1337L;

    private final Backend backend;
    private final List<Layer> layers = new ArrayList<>();
    private int inputSize = -1;
    private long seed = DEFAULT_SEED;
    private boolean built;
    private Parameter[] params = new Parameter[0];
    private int outputs;

    private Optimizer optimizer;
    private Loss loss;
    private Metric[] metrics = new Metric[0];
    private boolean fused;
    private long iterations;
    private long epochsTrained;
    private boolean stopTraining;

    private final List<Plan> plans = new ArrayList<>();
    private Tensor stepLoss;
    private Tensor lossSum;
    private Tensor scratchScalar;
    private Tensor finiteSteps;
    private Tensor isFinite;
    private boolean closed;

    /** A model on the default backend ({@link Backends#get()}). */
    public Sequential() {
        this(Backends.get());
    }

    /**
     * An empty model on {@code backend}; add layers, give the input size, then compile.
     *
     * @param backend the backend the model's weights and steps live on
     */
    public Sequential(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "Sequential: argument 'backend' is null");
    }

    /**
     * A model of {@code layers} on {@code backend}.
     *
     * @param backend the backend the model's weights and steps live on
     * @param layers the layers, input side first
     * @return the model
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
     * @return the backend
     */
    public Backend backend() {
        return backend;
    }

    // ------------------------------------------------------------------ structure

    /**
     * Keras's {@code Input(shape=(n,))}: the number of input features. The model is built now.
     *
     * @param features the number of input features, at least 1
     * @return this model
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
     * Appends {@code layer} (before the model is built); a layer belongs to one model.
     *
     * @param layer the layer
     * @return this model
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
        if (layer.owned) {
            throw new IllegalArgumentException("Sequential.add: layer '" + layer.name() + "' is already built in"
                    + " another model; create a new layer");
        }
        layers.add(layer);
        return this;
    }

    /**
     * The seed of the initial weights, dropout masks and shuffling (set before the model is built).
     *
     * @param seed the seed
     * @return this model
     */
    public Sequential seed(long seed) {
        if (built) {
            throw new IllegalStateException("Sequential.seed: the model is already built; set the seed first");
        }
        this.seed = seed;
        return this;
    }

    /**
     * The layers, input side first.
     *
     * @return an unmodifiable list
     */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /**
     * Whether the weights exist (the input size is known).
     *
     * @return true once built
     */
    public boolean isBuilt() {
        return built;
    }

    /**
     * The number of input features, or -1 while unknown.
     *
     * @return the input size
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The width of the model's output (valid once the input size is known).
     *
     * @return the output size
     */
    public int outputSize() {
        int w = inputSize;
        for (Layer l : layers) {
            w = l.outputSize(w);
        }
        return w;
    }

    /**
     * Creates the weights for {@code features} inputs (Keras's {@code build}). Called by fit/predict if needed.
     *
     * @param features the number of input features, at least 1
     * @return this model
     */
    public Sequential build(int features) {
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
            all.addAll(layers.get(i).parameters());
        }
        outputs = w;
        params = all.toArray(new Parameter[0]);
        built = true;
        stepLoss = backend.tensor(1, 1);
        lossSum = backend.tensor(1, 1);
        scratchScalar = backend.tensor(1, 1);
        finiteSteps = backend.tensor(1, 1);
        isFinite = backend.tensor(1, 1);
        if (optimizer != null) {
            bindTraining();
        }
        return this;
    }

    // ------------------------------------------------------------------ compile

    /**
     * Keras's {@code compile(optimizer, loss, metrics)} with Keras names, e.g. ("adam", "mse", "mae").
     *
     * @param optimizer a Keras optimizer name
     * @param loss a Keras loss name
     * @param metrics Keras metric names
     * @return this model
     */
    public Sequential compile(String optimizer, String loss, String... metrics) {
        return compile(Optimizer.of(optimizer), Loss.of(loss), metrics);
    }

    /**
     * Keras's {@code compile} with an optimizer and a loss object and metric names.
     *
     * @param optimizer the optimizer
     * @param loss the loss
     * @param metrics Keras metric names
     * @return this model
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
     * Keras's {@code compile} with objects; metric names must differ.
     *
     * @param optimizer the optimizer
     * @param loss the loss
     * @param metrics the metrics
     * @return this model
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
        for (Metric m : this.metrics) {
            m.release();
        }
        this.optimizer = optimizer;
        this.loss = loss;
        this.metrics = metrics.stream().map(Metric::copy).toArray(Metric[]::new);
        Layer last = layers.get(layers.size() - 1);
        this.fused = loss.fusesWith(last.outputActivation());
        if (built) {
            bindTraining();
        } else if (inputSize > 0) {
            build(inputSize);
        }
        return this;
    }

    /** Creates the optimizer's state and the metrics' accumulators for the built model. */
    private void bindTraining() {
        for (Parameter p : params) {
            p.initSlots(optimizer);
        }
        optimizer.reset();
        iterations = 0;
        for (Metric m : metrics) {
            m.bind(backend, outputs, loss);
        }
    }

    /**
     * Whether {@code compile} has been called.
     *
     * @return true once compiled
     */
    public boolean isCompiled() {
        return optimizer != null;
    }

    /**
     * The optimizer given to {@code compile}, or null.
     *
     * @return the optimizer
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The loss given to {@code compile}, or null.
     *
     * @return the loss
     */
    public Loss loss() {
        return loss;
    }

    /**
     * The number of optimizer steps taken (Keras's {@code optimizer.iterations}).
     *
     * @return the step count
     */
    public long iterations() {
        return iterations;
    }

    /**
     * Asks a running fit to stop after the current batch or epoch (Keras's {@code model.stop_training}).
     *
     * @param stop true to stop
     */
    public void stopTraining(boolean stop) {
        this.stopTraining = stop;
    }

    /**
     * Whether a stop was asked for (Keras's {@code model.stop_training}).
     *
     * @return true when fit will stop
     */
    public boolean stopTraining() {
        return stopTraining;
    }

    // ------------------------------------------------------------------ fit

    /**
     * {@code fit(x, y, epochs=epochs)} with the other arguments at Keras's defaults.
     *
     * @param x the features, {@code [n x inputs]}
     * @param y the targets
     * @param epochs the number of passes over the data
     * @return the per-epoch values
     */
    public History fit(FloatMatrix x, FloatMatrix y, int epochs) {
        return fit(x, y, new FitOptions().epochs(epochs));
    }

    /**
     * {@code fit(x, y, batch_size, epochs)} with the other arguments at Keras's defaults.
     *
     * @param x the features, {@code [n x inputs]}
     * @param y the targets
     * @param batchSize the number of samples per step
     * @param epochs the number of passes over the data
     * @return the per-epoch values
     */
    public History fit(FloatMatrix x, FloatMatrix y, int batchSize, int epochs) {
        return fit(x, y, new FitOptions().batchSize(batchSize).epochs(epochs));
    }

    /**
     * Keras's {@code fit(x, y, ...)}: trains on {@code x} and {@code y} with the given options.
     *
     * @param x the features, {@code [n x inputs]}
     * @param y the targets, in the form the loss expects
     * @param options batch size, epochs, validation, callbacks, verbosity
     * @return the per-epoch values
     */
    public History fit(FloatMatrix x, FloatMatrix y, FitOptions options) {
        ensureOpen();
        Objects.requireNonNull(options, "fit: argument 'options' is null");
        requireCompiled("fit");
        checkData("fit", "x", "y", x, y);
        FloatMatrix trainX = x;
        FloatMatrix trainY = loss.prepareTargets("y", y, outputs);
        FloatMatrix valX = null;
        FloatMatrix valY = null;
        if (options.validationX() != null) {
            checkData("fit", "validation_data x", "validation_data y", options.validationX(), options.validationY());
            valX = options.validationX();
            valY = loss.prepareTargets("validation_data y", options.validationY(), outputs);
        } else if (options.validationSplit() > 0) {
            // Keras holds out the last samples, before any shuffling.
            int splitAt = (int) Math.floor(x.rows() * (1.0 - options.validationSplit()));
            if (splitAt < 1 || splitAt >= x.rows()) {
                throw new IllegalArgumentException("fit: argument 'validation_split' = " + options.validationSplit()
                        + " leaves " + splitAt + " of " + x.rows() + " samples for training and " + (x.rows() - splitAt)
                        + " for validation; both must be >= 1");
            }
            valX = x.rowRange(splitAt, x.rows());
            valY = trainY.rowRange(splitAt, x.rows());
            trainX = x.rowRange(0, splitAt);
            trainY = trainY.rowRange(0, splitAt);
        }
        int n = trainX.rows();
        if (n == 0) {
            throw new IllegalArgumentException("fit: argument 'x' has no samples, got [0 x " + x.cols() + "]");
        }
        int batch = Math.min(options.batchSize(), n);
        int steps = (n + batch - 1) / batch;
        List<Callback> callbacks = options.callbacks();
        boolean batchLoss = callbacks.stream().anyMatch(Callback::needsBatchLoss);
        ProgressLogger progress = new ProgressLogger(options.out(), options.verbose(), options.epochs(), steps);
        History history = new History();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        stopTraining = false;
        for (Callback c : callbacks) {
            c.onTrainBegin(this);
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        for (int epoch = 0; epoch < options.epochs() && !stopTraining; epoch++) {
            for (Callback c : callbacks) {
                c.onEpochBegin(epoch);
            }
            progress.epochBegin(epoch);
            if (options.shuffle()) {
                // Keyed by the epochs trained so far, so that a second fit call does not repeat the orders.
                shuffle(order, CounterRandom.streamSeed(seed ^ 0x5348554646L, epochsTrained));
            }
            resetAccumulators();
            int done = 0;
            for (int step = 0; step < steps; step++) {
                int start = step * batch;
                int rows = Math.min(batch, n - start);
                Plan p = plan(rows);
                p.stage(trainX, trainY, order, start, options.shuffle(), loss);
                trainStep(p);
                done += rows;
                if (batchLoss) {
                    double l = readScalar(stepLoss);
                    for (Callback c : callbacks) {
                        c.onBatchEnd(epoch, step, l);
                    }
                    if (stopTraining) {
                        break;
                    }
                }
                if (progress.wantsRefresh(step)) {
                    progress.refresh(step, currentLogs(done, false));
                }
            }
            logs = currentLogs(done, true);
            double epochLoss = logs.get("loss");
            if (!Double.isFinite(epochLoss)) {
                int firstBad = (int) readScalar(finiteSteps) + 1;
                System.getLogger(Sequential.class.getName()).log(System.Logger.Level.WARNING, "the loss is "
                        + epochLoss + " in epoch " + (epoch + 1) + " from step " + firstBad + " of " + steps);
            }
            if (valX != null) {
                Map<String, Double> val = evaluatePrepared(valX, valY, batch);
                for (Map.Entry<String, Double> e : val.entrySet()) {
                    logs.put("val_" + e.getKey(), e.getValue());
                }
            }
            epochsTrained++;
            history.record(epoch, logs);
            progress.epochEnd(logs);
            for (Callback c : callbacks) {
                c.onEpochEnd(epoch, logs);
            }
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(logs);
        }
        return history;
    }

    /**
     * Keras's {@code train_on_batch}: one training step on exactly the rows of {@code x} (no shuffling,
     * no callbacks), then one host read of the batch's loss, weight penalties included. After the first
     * call for a batch size it allocates nothing on the host or the device.
     *
     * @param x the batch's features
     * @param y the batch's targets
     * @return the batch's loss
     */
    public double trainOnBatch(FloatMatrix x, FloatMatrix y) {
        ensureOpen();
        requireCompiled("trainOnBatch");
        checkData("trainOnBatch", "x", "y", x, y);
        FloatMatrix targets = loss.prepareTargets("y", y, outputs);
        resetAccumulators();
        Plan p = plan(x.rows());
        p.stage(x, targets, null, 0, false, loss);
        trainStep(p);
        return readScalar(stepLoss);
    }

    /** Zeroes the loss sum, the finite-step counter and the metrics' accumulators. */
    private void resetAccumulators() {
        backend.fill(lossSum, 0f);
        backend.fill(finiteSteps, 0f);
        for (Metric m : metrics) {
            m.reset();
        }
    }

    /** One training step on the staged batch: forward, loss, metrics, backward, optimizer update. */
    private void trainStep(Plan p) {
        Tensor out = forward(p, true, fused);
        Tensor prediction = lossAndGradient(p, out);
        accumulateLoss(p);
        for (Metric m : metrics) {
            m.update(prediction, p.target, p.tmpA, p.tmpB, p.colA, p.colB);
        }
        backward(p);
        iterations++;
        optimizer.prepare(iterations);
        for (Parameter param : params) {
            param.update(optimizer);
        }
    }

    /** Backpropagates p.grad through every layer into the parameter gradients (the input gradient is skipped). */
    private void backward(Plan p) {
        Tensor g = p.grad;
        int last = layers.size() - 1;
        for (int i = last; i >= 0; i--) {
            g = layers.get(i).backward(p.frames[i], g, i > 0, fused && i == last);
        }
    }

    /** Runs every layer; {@code skipOutputActivation} leaves the last activation to a fused loss. */
    private Tensor forward(Plan p, boolean training, boolean skipOutputActivation) {
        Tensor t = p.x;
        int last = layers.size() - 1;
        for (int i = 0; i <= last; i++) {
            t = layers.get(i).forward(p.frames[i], t, training, iterations, skipOutputActivation && i == last);
        }
        return t;
    }

    /** Loss per element into p.loss, its gradient into p.grad; returns the model's prediction for the metrics. */
    private Tensor lossAndGradient(Plan p, Tensor out) {
        float scale = loss.scale(p.batch, outputs);
        LogitsLoss logits = loss.logitsKind();
        if (fused) {
            backend.crossEntropyWithLogits(logits, true, scale, out, p.target, p.probs, p.loss, p.grad);
            return p.probs;
        }
        if (logits != null && loss.fromLogits()) {
            backend.crossEntropyWithLogits(logits, false, scale, out, p.target, p.probs, p.loss, p.grad);
        } else {
            backend.elementLoss(loss.elementKind(), loss.delta(), scale, out, p.target, p.loss, p.grad);
        }
        return out;
    }

    /**
     * Adds the batch's loss (plus the weight penalties), weighted by the batch size, into the epoch's sum,
     * and counts the leading steps whose loss was finite: {@code x - x} equals itself only for a finite x
     * (it is NaN for NaN and infinities).
     */
    private void accumulateLoss(Plan p) {
        int batch = p.batch;
        backend.reduce(Reduction.SUM, Axis.ALL, p.loss, stepLoss);
        for (Parameter param : params) {
            param.addPenalty(scratchScalar, stepLoss, 1f);
        }
        backend.axpby(batch, stepLoss, 1f, lossSum);
        // The running sum stays finite until the first bad step; count the steps it is still finite.
        backend.binary(BinaryOp.SUB, lossSum, lossSum, isFinite);
        backend.binary(BinaryOp.EQUAL, isFinite, isFinite, isFinite);
        backend.binary(BinaryOp.ADD, finiteSteps, isFinite, finiteSteps);
    }

    private Map<String, Double> currentLogs(int samples, boolean epochEnd) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", readScalar(lossSum) / samples);
        for (Metric m : metrics) {
            logs.put(m.name(), m.result());
        }
        return logs;
    }

    private double readScalar(Tensor t) {
        t.copyTo(scalarHost, 0);
        return scalarHost[0];
    }

    private final float[] scalarHost = new float[1];

    // ------------------------------------------------------------------ evaluate, predict

    /**
     * Keras's {@code evaluate(x, y)}: the loss and metrics over all samples, batch size 32.
     *
     * @param x the features
     * @param y the targets
     * @return the loss and each metric by history key
     */
    public Map<String, Double> evaluate(FloatMatrix x, FloatMatrix y) {
        return evaluate(x, y, 32);
    }

    /**
     * Keras's {@code evaluate(x, y, batch_size)}: the loss and metrics over all samples.
     *
     * @param x the features
     * @param y the targets
     * @param batchSize the number of samples per step, at least 1
     * @return the loss and each metric by history key
     */
    public Map<String, Double> evaluate(FloatMatrix x, FloatMatrix y, int batchSize) {
        ensureOpen();
        requireCompiled("evaluate");
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluate: argument 'batch_size' must be >= 1, got " + batchSize);
        }
        checkData("evaluate", "x", "y", x, y);
        return evaluatePrepared(x, loss.prepareTargets("y", y, outputs), batchSize);
    }

    private Map<String, Double> evaluatePrepared(FloatMatrix x, FloatMatrix y, int batchSize) {
        int n = x.rows();
        if (n == 0) {
            throw new IllegalArgumentException("evaluate: argument 'x' has no samples");
        }
        resetAccumulators();
        int batch = Math.min(batchSize, n);
        for (int start = 0; start < n; start += batch) {
            int rows = Math.min(batch, n - start);
            Plan p = plan(rows);
            p.stage(x, y, null, start, false, loss);
            Tensor out = forward(p, false, fused);
            Tensor prediction = lossAndGradient(p, out);
            accumulateLoss(p);
            for (Metric m : metrics) {
                m.update(prediction, p.target, p.tmpA, p.tmpB, p.colA, p.colB);
            }
        }
        return currentLogs(n, true);
    }

    /**
     * Keras's {@code predict(x)} with batch size 32.
     *
     * @param x the features
     * @return the model's outputs, one row per sample
     */
    public FloatMatrix predict(FloatMatrix x) {
        return predict(x, 32);
    }

    /**
     * Keras's {@code predict(x, batch_size)}.
     *
     * @param x the features
     * @param batchSize the number of samples per step, at least 1
     * @return the model's outputs, one row per sample
     */
    public FloatMatrix predict(FloatMatrix x, int batchSize) {
        ensureOpen();
        Objects.requireNonNull(x, "predict: argument 'x' is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("predict: argument 'batch_size' must be >= 1, got " + batchSize);
        }
        ensureBuilt("predict", "x", x);
        int n = x.rows();
        float[] result = new float[Math.multiplyExact(n, outputs)];
        if (n == 0) {
            return new FloatMatrix(0, outputs, result);
        }
        int batch = Math.min(batchSize, n);
        for (int start = 0; start < n; start += batch) {
            int rows = Math.min(batch, n - start);
            Plan p = plan(rows);
            p.x.copyFrom(x.data(), start * inputSize);
            forward(p, false, false).copyTo(result, start * outputs);
        }
        return new FloatMatrix(n, outputs, result);
    }

    /**
     * The gradients of the loss (without the weight penalties, which the optimizer step adds) with respect
     * to every parameter for one batch holding all of {@code x}; the weights are not changed.
     */
    LinkedHashMap<String, FloatMatrix> gradients(FloatMatrix x, FloatMatrix y) {
        ensureOpen();
        requireCompiled("gradients");
        checkData("gradients", "x", "y", x, y);
        FloatMatrix targets = loss.prepareTargets("y", y, outputs);
        Plan p = plan(x.rows());
        p.stage(x, targets, null, 0, false, loss);
        Tensor out = forward(p, true, fused);
        lossAndGradient(p, out);
        backward(p);
        LinkedHashMap<String, FloatMatrix> grads = new LinkedHashMap<>();
        for (Parameter param : params) {
            grads.put(param.name, new FloatMatrix(param.gradient.rows(), param.gradient.cols(),
                    param.gradient.toArray()));
        }
        return grads;
    }

    // ------------------------------------------------------------------ weights

    /**
     * The weights in Keras order (per layer: kernel, bias), copied to the host.
     *
     * @return the weights
     */
    public List<FloatMatrix> getWeights() {
        ensureOpen();
        List<FloatMatrix> out = new ArrayList<>();
        for (Parameter p : params) {
            out.add(new FloatMatrix(p.value.rows(), p.value.cols(), p.value.toArray()));
        }
        return out;
    }

    /**
     * The weights by name ({@code dense/kernel}, {@code dense/bias}, {@code dense_1/kernel}, ...).
     *
     * @return the weights by name, in Keras order
     */
    public LinkedHashMap<String, FloatMatrix> namedWeights() {
        ensureOpen();
        LinkedHashMap<String, FloatMatrix> out = new LinkedHashMap<>();
        for (Parameter p : params) {
            out.put(p.name, new FloatMatrix(p.value.rows(), p.value.cols(), p.value.toArray()));
        }
        return out;
    }

    /**
     * Sets the weights in {@link #getWeights()} order; checks every shape before changing anything.
     *
     * @param weights the weights, each shaped as {@link #getWeights()} returns it
     */
    public void setWeights(List<FloatMatrix> weights) {
        ensureOpen();
        Objects.requireNonNull(weights, "setWeights: argument 'weights' is null");
        if (!built) {
            throw new IllegalStateException("setWeights: the model is not built; call input(n) or build(n) first");
        }
        if (weights.size() != params.length) {
            throw new IllegalArgumentException("setWeights: argument 'weights' must hold " + params.length
                    + " matrices " + expectedShapes() + ", got " + weights.size());
        }
        for (int i = 0; i < params.length; i++) {
            FloatMatrix w = Objects.requireNonNull(weights.get(i), "setWeights: argument 'weights' holds null");
            checkShape("setWeights", "weights[" + i + "]", params[i], w);
        }
        for (int i = 0; i < params.length; i++) {
            params[i].value.copyFrom(weights.get(i).data());
        }
    }

    /**
     * Sets weights by name; every name must be present and every shape match, or nothing changes.
     *
     * @param weights the weights by name
     */
    public void setNamedWeights(Map<String, FloatMatrix> weights) {
        ensureOpen();
        Objects.requireNonNull(weights, "setNamedWeights: argument 'weights' is null");
        if (!built) {
            throw new IllegalStateException("setNamedWeights: the model is not built; call input(n) or build(n) first");
        }
        List<String> expected = Arrays.stream(params).map(p -> p.name).toList();
        if (!weights.keySet().equals(new java.util.HashSet<>(expected))) {
            throw new IllegalArgumentException("setNamedWeights: argument 'weights' must hold exactly the tensors "
                    + expected + ", got " + weights.keySet());
        }
        for (Parameter p : params) {
            checkShape("setNamedWeights", p.name, p, weights.get(p.name));
        }
        for (Parameter p : params) {
            p.value.copyFrom(weights.get(p.name).data());
        }
    }

    /**
     * Writes the weights to a safetensors file ({@code dense/kernel}, {@code dense/bias}, ...), atomically:
     * a crash never leaves a half-written file.
     *
     * @param file the file to write
     * @throws java.io.IOException if the file cannot be written (the old file, if any, is left as it was)
     */
    public void saveWeights(Path file) throws IOException {
        ensureOpen();
        Objects.requireNonNull(file, "saveWeights: argument 'file' is null");
        if (!built) {
            throw new IllegalStateException("saveWeights: the model is not built; it has no weights yet");
        }
        SafeTensors.write(file, namedWeights());
    }

    /**
     * Reads weights written by {@link #saveWeights}: the file is validated and every tensor name and shape
     * checked against the model before any weight changes, so on any error the model is as it was.
     * An unbuilt model with a known input size is built first.
     *
     * @param file a file written by {@link #saveWeights}
     * @throws java.io.IOException if the file cannot be read, is malformed or does not match the model
     */
    public void loadWeights(Path file) throws IOException {
        ensureOpen();
        Objects.requireNonNull(file, "loadWeights: argument 'file' is null");
        LinkedHashMap<String, FloatMatrix> tensors = SafeTensors.read(file);
        if (!built) {
            if (inputSize < 1) {
                throw new IllegalStateException("loadWeights: the model is not built and its input size is unknown;"
                        + " call input(n) first");
            }
            build(inputSize);
        }
        try {
            setNamedWeights(tensors);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("loadWeights: " + file + " does not fit the model: " + e.getMessage(), e);
        }
    }

    private static void checkShape(String op, String arg, Parameter p, FloatMatrix w) {
        if (w.rows() != p.value.rows() || w.cols() != p.value.cols()) {
            throw new IllegalArgumentException(op + ": '" + arg + "' must be [" + p.value.rows() + " x "
                    + p.value.cols() + "] (" + p.name + "), got [" + w.rows() + " x " + w.cols() + "]");
        }
    }

    private String expectedShapes() {
        return Arrays.stream(params).map(p -> p.name + " " + p.value.shape()).toList().toString();
    }

    /**
     * Number of parameters (all are trainable); 0 before the model is built.
     *
     * @return the parameter count
     */
    public long countParams() {
        long n = 0;
        for (Parameter p : params) {
            n += p.size();
        }
        return n;
    }

    // ------------------------------------------------------------------ summary

    /**
     * Keras's {@code summary()}: layers, output shapes, parameter counts, totals.
     *
     * @return the summary, one line per layer and the totals
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "_".repeat(65) + "\n";
        String thick = "=".repeat(65) + "\n";
        sb.append("Model: \"sequential\"\n").append(rule);
        sb.append(String.format(Locale.ROOT, "%-29s%-22s%14s%n", " Layer (type)", "Output Shape", "Param #"));
        sb.append(thick);
        int w = inputSize;
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            long count = 0;
            String shape;
            if (w > 0) {
                int next = l.outputSize(w);
                if (l instanceof Dense) {
                    count = (long) w * next + next;
                }
                w = next;
                shape = "(None, " + w + ")";
            } else {
                shape = "?";
            }
            total += count;
            String name = (l.name() == null ? l.namePrefix() : l.name()) + " (" + l.type() + ")";
            sb.append(String.format(Locale.ROOT, " %-28s%-22s%14s%n", name, shape,
                    w > 0 ? String.format(Locale.ROOT, "%,d", count) : "?"));
            sb.append(i == layers.size() - 1 ? thick : "\n");
        }
        sb.append(String.format(Locale.ROOT, " Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, " Trainable params: %,d%n", total));
        sb.append(" Non-trainable params: 0\n").append(rule);
        return sb.toString();
    }

    // ------------------------------------------------------------------ buffers

    /** The buffers for batches of {@code rows} rows (the full batch size, a smaller last one...), cached. */
    private Plan plan(int rows) {
        for (int i = 0; i < plans.size(); i++) {
            Plan p = plans.get(i);
            if (p.batch == rows) {
                if (i > 0) {
                    // Most recently used first: a fit step finds its plan at index 0 or 1.
                    plans.remove(i);
                    plans.add(0, p);
                }
                return p;
            }
        }
        // Training needs at most the full and the last batch of both the training and validation data;
        // predict calls with ever new sizes must not pile up buffers, so the least recently used goes.
        if (plans.size() == MAX_PLANS) {
            plans.remove(plans.size() - 1).release();
        }
        Plan p = new Plan(rows);
        plans.add(0, p);
        return p;
    }

    private static final int MAX_PLANS = 4;

    /** All buffers of one batch size. */
    private final class Plan {
        final int batch;
        final Layer.Frame[] frames;
        final Tensor x;
        final Tensor target;
        final Tensor probs;
        final Tensor loss;
        final Tensor grad;
        final Tensor tmpA;
        final Tensor tmpB;
        final Tensor colA;
        final Tensor colB;
        final float[] xStage;
        final float[] yStage;

        Plan(int batch) {
            this.batch = batch;
            frames = new Layer.Frame[layers.size()];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = layers.get(i).frame(batch);
            }
            x = backend.tensor(batch, inputSize);
            target = backend.tensor(batch, outputs);
            probs = backend.tensor(batch, outputs);
            loss = backend.tensor(batch, outputs);
            grad = backend.tensor(batch, outputs);
            tmpA = backend.tensor(batch, outputs);
            tmpB = backend.tensor(batch, outputs);
            colA = backend.tensor(batch, 1);
            colB = backend.tensor(batch, 1);
            xStage = new float[batch * inputSize];
            yStage = new float[batch * outputs];
        }

        /** Gathers rows {@code order[start..start+batch)} (or start.. in order) into staging and uploads them. */
        void stage(FloatMatrix xs, FloatMatrix ys, int[] order, int start, boolean shuffled, Loss lossFn) {
            int in = inputSize;
            if (shuffled) {
                float[] src = xs.data();
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(src, order[start + r] * in, xStage, r * in, in);
                }
                x.copyFrom(xStage);
            } else {
                x.copyFrom(xs.data(), start * in);
            }
            float[] ysrc = ys.data();
            if (lossFn.isSparse()) {
                Arrays.fill(yStage, 0f);
                for (int r = 0; r < batch; r++) {
                    int row = shuffled ? order[start + r] : start + r;
                    yStage[r * outputs + (int) ysrc[row]] = 1f;
                }
                target.copyFrom(yStage);
            } else if (shuffled) {
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(ysrc, order[start + r] * outputs, yStage, r * outputs, outputs);
                }
                target.copyFrom(yStage);
            } else {
                target.copyFrom(ysrc, start * outputs);
            }
        }

        void release() {
            for (Layer.Frame f : frames) {
                f.release();
            }
            Layer.close(x, target, probs, loss, grad, tmpA, tmpB, colA, colB);
        }
    }

    private static void shuffle(int[] order, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    // ------------------------------------------------------------------ checks

    private void requireCompiled(String op) {
        if (optimizer == null) {
            throw new IllegalStateException(op + ": the model is not compiled; call compile(optimizer, loss, metrics)"
                    + " first");
        }
    }

    private void ensureBuilt(String op, String arg, FloatMatrix x) {
        if (!built) {
            if (inputSize > 0 && x.cols() != inputSize) {
                throw new IllegalArgumentException(op + ": argument '" + arg + "' must have " + inputSize
                        + " columns (the model's input size), got [" + x.rows() + " x " + x.cols() + "]");
            }
            build(x.cols());
        }
        if (x.cols() != inputSize) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' must have " + inputSize
                    + " columns (the model's input size), got [" + x.rows() + " x " + x.cols() + "]");
        }
    }

    private void checkData(String op, String xArg, String yArg, FloatMatrix x, FloatMatrix y) {
        // Explicit checks: a message built eagerly for requireNonNull would allocate on every step.
        if (x == null || y == null) {
            throw new NullPointerException(op + ": argument '" + (x == null ? xArg : yArg) + "' is null");
        }
        ensureBuilt(op, xArg, x);
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException(op + ": arguments '" + xArg + "' and '" + yArg
                    + "' must have the same number of rows, got [" + x.rows() + " x " + x.cols() + "] and ["
                    + y.rows() + " x " + y.cols() + "]");
        }
        int want = loss.targetColumns(outputs);
        if (y.cols() != want) {
            throw new IllegalArgumentException(op + ": argument '" + yArg + "' must have " + want + " column"
                    + (want == 1 ? "" : "s") + (loss.isSparse() ? " (class indices for " + loss.name() + ")"
                    : " (the model's output width)") + ", got [" + y.rows() + " x " + y.cols() + "]");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the model is closed");
        }
    }

    /** Frees every tensor of the model. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Plan p : plans) {
            p.release();
        }
        plans.clear();
        for (Metric m : metrics) {
            m.release();
        }
        for (Layer l : layers) {
            l.release();
        }
        Layer.close(stepLoss, lossSum, scratchScalar, finiteSteps, isFinite);
    }
}
