package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a {@link Model} and what reads or writes it without training: the layers, weights and their
 * files, the compiled optimizer, loss and metrics, the counters, the summary and closing. {@link Model} adds
 * what trains and runs it (Keras keeps the same cut: its {@code Model} inherits fit, evaluate and predict
 * from its {@code Trainer}). Public members declared here are part of {@link Model}'s API.
 */
abstract sealed class ModelCore implements AutoCloseable permits Model {

    final Backend backend;
    final List<Layer> layers = new ArrayList<>();
    int inputSize = -1;
    long seed = Sequential.DEFAULT_SEED;
    volatile boolean built;
    /** Every weight, in Keras order; {@link #trainable} the ones the optimizer updates. */
    Parameter[] params = new Parameter[0];
    Parameter[] trainable = new Parameter[0];
    int outputs;

    Optimizer optimizer;
    Loss loss;
    Metric[] metrics = new Metric[0];
    boolean fused;
    long iterations;
    long epochsTrained;
    volatile boolean stopTraining;
    /** The epoch a {@link BackupAndRestore} restored in onTrainBegin, where fit continues; -1 for none. */
    int restoredEpoch = -1;

    PlanPool plans;
    final TrainingGuard guard = new TrainingGuard();
    final StepRunner steps;
    private final ModelWeights weights = new ModelWeights((Model) this);
    private volatile boolean closed;

    ModelCore(Backend backend) {
        this.backend = backend;
        this.plans = new PlanPool(backend);
        this.steps = new StepRunner((Model) this);
    }

    /**
     * Creates the weights for {@code features} inputs (Keras's {@code build}). Called by fit/predict if needed.
     *
     * @param features the number of input features (columns of {@code x}), at least 1
     * @return this model, for chaining
     */
    public abstract Model build(int features);

    /** Undoes {@link #build(int)}, freeing the weights (the rollback of a failed load). */
    abstract void unbuild();

    /**
     * Whether {@code compile} was called.
     *
     * @return true once an optimizer is set by {@code compile}
     */
    public boolean isCompiled() {
        return optimizer != null;
    }

    /**
     * The compiled optimizer, or null.
     *
     * @return the optimizer given to {@code compile}, or null before compile
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The compiled loss, or null.
     *
     * @return the loss given to {@code compile}, or null before compile
     */
    public Loss loss() {
        return loss;
    }

    /**
     * The number of optimizer steps taken (Keras's {@code optimizer.iterations}).
     *
     * @return the steps since the last {@code compile} (or as restored by a load or optimizer state), 0 or more
     */
    public long iterations() {
        return iterations;
    }

    /**
     * Asks a running fit to stop after the current batch or epoch (Keras's {@code model.stop_training}).
     *
     * @param stop true to ask the fit to stop, false to withdraw the request
     */
    public void stopTraining(boolean stop) {
        this.stopTraining = stop;
    }

    /**
     * Whether a stop was asked for.
     *
     * @return the flag last set by {@link #stopTraining(boolean)} (or a callback)
     */
    public boolean stopTraining() {
        return stopTraining;
    }


    // ------------------------------------------------------------------ weights

    /**
     * The weights in Keras order (per layer: kernel, bias), copied to the host.
     *
     * @return one host copy per weight, trainable or not, in Keras's {@code get_weights} order
     */
    public List<FloatMatrix> getWeights() {
        ensureOpen();
        return weights.list();
    }

    /**
     * The weights by name ({@code dense/kernel}, {@code dense/bias}, {@code dense_1/kernel}, ...).
     *
     * @return a new map from each weight's name to a host copy of it, in {@link #getWeights()} order
     */
    public LinkedHashMap<String, FloatMatrix> namedWeights() {
        ensureOpen();
        return weights.named();
    }

    /**
     * Sets the weights in {@link #getWeights()} order; checks every shape before changing anything.
     *
     * @param values one matrix per weight, in {@link #getWeights()} order and of its shape, none null
     * @throws IllegalStateException if the model is closed or not built
     * @throws IllegalArgumentException if the count or a shape does not match
     */
    public void setWeights(List<FloatMatrix> values) {
        ensureOpen();
        weights.set(values);
    }

    /**
     * Sets weights by name; every name must be present and every shape match, or nothing changes.
     *
     * @param values a matrix for each of the model's weights, keyed by {@link Parameter#name()} (any order)
     * @throws IllegalStateException if the model is closed or not built
     * @throws IllegalArgumentException if a name is missing or unknown, or a shape does not match
     */
    public void setNamedWeights(Map<String, FloatMatrix> values) {
        ensureOpen();
        weights.setNamed(values);
    }

    /**
     * Writes the weights to a safetensors file ({@code dense/kernel}, {@code dense/bias}, ...), atomically:
     * a crash never leaves a half-written file.
     *
     * @param file the file to write, not null; an existing file is replaced
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if the model is closed or not built
     */
    public void saveWeights(Path file) throws IOException {
        ensureOpen();
        weights.save(file);
    }

    /**
     * Reads weights written by {@link #saveWeights}: the header's names and shapes are checked against the
     * model before any data is read, so a file that does not fit fails fast and on any error the model is
     * as it was (an unbuilt model stays unbuilt). An unbuilt model with a known input size is built first.
     *
     * @param file a safetensors file written by {@link #saveWeights}, not null
     * @throws IOException if the file cannot be read or is malformed
     * @throws IllegalStateException if the model is closed, or unbuilt with an unknown input size
     * @throws IllegalArgumentException if the file's names or shapes do not fit the model
     */
    public void loadWeights(Path file) throws IOException {
        ensureOpen();
        weights.load(file);
    }

    /**
     * Number of values in all weights, trainable or not; 0 before the model is built.
     *
     * @return the total parameter count (Keras's {@code count_params})
     */
    public long countParams() {
        long n = 0;
        for (Parameter p : params) {
            n += p.size();
        }
        return n;
    }

    /**
     * Keras's {@code summary()}: layers, output shapes, parameter counts, totals.
     *
     * @return the summary as a multi-line table
     */
    public String summary() {
        return ModelSummary.of((Model) this);
    }

    // ------------------------------------------------------------------ checks

    void requireCompiled(String op) {
        if (optimizer == null) {
            throw new IllegalStateException(op + ": the model is not compiled; call compile(optimizer, loss, metrics)"
                    + " first");
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the model is closed");
        }
    }

    /** Frees every tensor of the model. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        plans.close();
        for (Metric m : metrics) {
            m.release();
        }
        for (Layer l : layers) {
            l.release();
        }
        steps.release();
    }
}

