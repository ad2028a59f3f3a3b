package dev.myelin.nn;

import dev.myelin.data.BatchSource;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.Map;

/**
 * What a model does once its layers are set (Keras's {@code Model} and its trainer): fit, train on a batch,
 * the gradient API, evaluate, predict, weights and summary. {@link Sequential} adds the layer stack.
 *
 * <p>The work is done by package parts a reader finds by name: {@code FitLoop} (epochs, validation),
 * {@code CallbackList} (the callbacks, and what they ask to read after a step), {@code FitData},
 * {@code EpochSteps} and the {@code BatchFeed}s (a fit's data: matrices or a {@code BatchSource}, sample and
 * class weights, shuffling, steps per epoch), {@code StepRunner} (the kernels of one batch: forward, loss,
 * metrics, backward, optimizer update), {@code GradientSteps} (trainOnBatch and the gradient API), {@code Inference}
 * (evaluate, predict), {@code ModelWeights} (weights and weight files), {@code ModelSummary},
 * {@code PlanPool} / {@code BatchPlan} (the device buffers of each batch size), {@code StackBuilder} (build:
 * layer names, weights, buffers, the optimizer's and metrics' state) and {@code TrainingGuard} (who may use
 * the model at once).
 *
 * <p>Training stays on the device: weights, gradients, optimizer state, activations, the loss and the
 * metrics' accumulators live on the backend for the whole fit. A step gathers its batch on the host into
 * a reused staging array, uploads it, and reads back nothing (the epoch's loss is read once at its end;
 * one scalar a step only when a callback asks for batch losses). Buffers are allocated once per batch
 * size, so after the first epoch a step allocates nothing.
 *
 * <p>Threads: {@code predict} and {@code evaluate} may be called from many threads at once on a trained
 * model (each call takes its own buffers; evaluations take turns on the metric accumulators). Training
 * ({@code fit}, {@code trainOnBatch}, {@code computeGradients}, {@code applyGradients}) is one call at a
 * time: a second training call while one runs fails at once with an {@link IllegalStateException}, and so
 * does a predict or evaluate from another thread while the model trains (it would read half-updated
 * weights). The training thread itself may predict, evaluate, and set weights and optimizer state (from a
 * callback).
 */
public abstract sealed class Model extends ModelCore permits Sequential {
    private final FitLoop fitLoop = new FitLoop(this);
    private final GradientSteps gradientSteps = new GradientSteps(this);
    private final Inference inference = new Inference(this);

    Model(Backend backend) {
        super(backend);
    }

    // ------------------------------------------------------------------ training

    /**
     * {@code fit(x, y, epochs=epochs)} with the other arguments at Keras's defaults.
     *
     * @param x the inputs, one sample a row, {@code [n x features]}
     * @param y the targets, one row per row of {@code x}, in the form the loss expects (e.g. class indices
     *          {@code [n x 1]} for a sparse loss, else {@code [n x outputs]})
     * @param epochs the number of passes over the data, at least 1
     * @return the loss and metrics of every epoch (Keras's {@code History})
     */
    public History fit(FloatMatrix x, FloatMatrix y, int epochs) {
        return fit(x, y, new FitOptions().epochs(epochs));
    }

    /**
     * {@code fit(x, y, batch_size, epochs)} with the other arguments at Keras's defaults.
     *
     * @param x the inputs, one sample a row, {@code [n x features]}
     * @param y the targets, one row per row of {@code x}, in the form the loss expects
     * @param batchSize the number of samples per step, at least 1
     * @param epochs the number of passes over the data, at least 1
     * @return the loss and metrics of every epoch (Keras's {@code History})
     */
    public History fit(FloatMatrix x, FloatMatrix y, int batchSize, int epochs) {
        return fit(x, y, new FitOptions().batchSize(batchSize).epochs(epochs));
    }

    /**
     * Keras's {@code fit}: trains for {@code options.epochs()} epochs; see {@link FitOptions}.
     *
     * @param x the inputs, one sample a row, {@code [n x features]}
     * @param y the targets, one row per row of {@code x}, in the form the loss expects
     * @param options batch size, epochs, shuffling, validation, callbacks and the rest of Keras's arguments
     * @return the loss and metrics (and validation ones) of every epoch (Keras's {@code History})
     * @throws IllegalStateException if the model is closed or not compiled, or another training call runs
     */
    public History fit(FloatMatrix x, FloatMatrix y, FitOptions options) {
        ensureOpen();
        return fitLoop.fit(x, y, options);
    }

    /**
     * Keras's {@code fit} on data streamed from disk: each epoch reads a pass of {@code source} (or
     * {@link FitOptions#stepsPerEpoch} batches), shuffled when {@link FitOptions#shuffle} (as the source
     * shuffles, e.g. through a bounded buffer), with the source's sample weights if it has any.
     * {@code validationSplit} and {@code sampleWeight} do not apply; {@code validationData} and
     * {@code classWeight} do.
     *
     * @param source the training data with targets (and optionally sample weights), not null
     * @param options batch size, epochs, steps per epoch, validation, callbacks and the rest
     * @return the loss and metrics (and validation ones) of every epoch
     * @throws java.io.UncheckedIOException if the source cannot be read (the message names it)
     */
    public History fit(BatchSource source, FitOptions options) {
        ensureOpen();
        return fitLoop.fit(source, options);
    }

    /**
     * Keras's {@code train_on_batch}: one training step on exactly the rows of {@code x} (no shuffling,
     * no callbacks), then one host read of the batch's loss, weight penalties included. After the first
     * call for a batch size it allocates nothing on the host or the device.
     *
     * @param x the batch's inputs, {@code [rows x features]}, at least one row
     * @param y the batch's targets, one row per row of {@code x}, in the form the loss expects
     * @return the batch's loss, weight penalties included
     * @throws IllegalStateException if the model is closed or not compiled, or another training call runs
     */
    public double trainOnBatch(FloatMatrix x, FloatMatrix y) {
        ensureOpen();
        return gradientSteps.trainOnBatch(x, y, null);
    }

    /**
     * Keras's {@code train_on_batch(x, y, sample_weight)}: {@link #trainOnBatch(FloatMatrix, FloatMatrix)}
     * with each sample's loss and gradient scaled by its weight (see {@link FitOptions#sampleWeight}).
     *
     * @param x the batch's inputs, {@code [rows x features]}, at least one row
     * @param y the batch's targets, one row per row of {@code x}
     * @param sampleWeight one finite weight per row of {@code x}, not null
     * @return the batch's weighted loss, weight penalties included
     */
    public double trainOnBatch(FloatMatrix x, FloatMatrix y, float[] sampleWeight) {
        ensureOpen();
        java.util.Objects.requireNonNull(sampleWeight, "trainOnBatch: argument 'sample_weight' is null");
        return gradientSteps.trainOnBatch(x, y, sampleWeight);
    }

    /**
     * The loss and the gradient of every trainable weight on the batch {@code (x, y)}, copied to the host
     * (Keras's {@code GradientTape} over one step); weights, optimizer state and iteration count are
     * unchanged. Random layers draw the masks of step {@link #iterations()} for rows 0.. of the batch, as
     * {@link #trainOnBatch} would, so {@code applyGradients(computeGradients(x, y))} equals
     * {@code trainOnBatch(x, y)} bit for bit. See {@link Gradients} for what it holds.
     *
     * @param x the batch's inputs, {@code [rows x features]}, at least one row
     * @param y the batch's targets, one row per row of {@code x}, in the form the loss expects
     * @return the batch's loss and a host copy of the gradient of every trainable weight, by name
     * @throws IllegalStateException if the model is closed or not compiled, or another training call runs
     */
    public Gradients computeGradients(FloatMatrix x, FloatMatrix y) {
        ensureOpen();
        return gradientSteps.compute(x, y, iterations, 0);
    }

    /**
     * {@link #computeGradients(FloatMatrix, FloatMatrix)} with the random key given: random layers draw the
     * masks of step {@code step} as if the batch's rows were rows {@code firstRow, firstRow + 1, ...} of a
     * larger batch. A data-parallel trainer passes the global step and each part's first row, so that the
     * parts draw exactly the masks the whole batch would.
     *
     * @param x the batch's inputs, {@code [rows x features]}, at least one row
     * @param y the batch's targets, one row per row of {@code x}, in the form the loss expects
     * @param step the optimizer step whose random masks to draw (e.g. {@link #iterations()})
     * @param firstRow the index of the batch's first row within the whole batch, 0 or more
     * @return the batch's loss and a host copy of the gradient of every trainable weight, by name
     * @throws IllegalArgumentException if {@code firstRow} is negative or {@code x} has no rows
     */
    public Gradients computeGradients(FloatMatrix x, FloatMatrix y, long step, long firstRow) {
        ensureOpen();
        return gradientSteps.compute(x, y, step, firstRow);
    }

    /**
     * One optimizer step with {@code gradients} (Keras's {@code optimizer.apply_gradients}): counts as one
     * iteration; the weight penalties' gradients are folded in by the update exactly as in
     * {@link #trainOnBatch}. The names and shapes must be the model's trainable weights' (any order), or
     * nothing changes.
     *
     * @param gradients one gradient per trainable weight, e.g. from {@link #computeGradients}, not null
     * @throws IllegalStateException if the model is closed, not compiled or not built, or another training call runs
     * @throws IllegalArgumentException if a name or shape does not match the trainable weights
     */
    public void applyGradients(Gradients gradients) {
        ensureOpen();
        gradientSteps.apply(gradients);
    }

    /**
     * A host copy of the optimizer's state: every slot of every trainable weight and the iteration count.
     *
     * @return a snapshot that {@link #setOptimizerState} restores; later training does not change it
     */
    public OptimizerState optimizerState() {
        ensureOpen();
        return gradientSteps.optimizerState();
    }

    /**
     * Restores a state from {@link #optimizerState()}: same optimizer, same trainable weights and shapes
     * (checked before anything changes); sets the slots, the iteration count and the learning rate.
     *
     * @param state a state from {@link #optimizerState()} of a model with the same optimizer and weights
     * @throws IllegalStateException if the model is closed or not built
     * @throws IllegalArgumentException if the state's optimizer, names or shapes do not match
     */
    public void setOptimizerState(OptimizerState state) {
        ensureOpen();
        gradientSteps.setOptimizerState(state);
    }

    // ------------------------------------------------------------------ evaluate, predict

    /**
     * Keras's {@code evaluate(x, y)}: the loss and metrics over all samples, batch size 32.
     *
     * @param x the inputs, {@code [n x features]}, at least one row
     * @param y the targets, one row per row of {@code x}, in the form the loss expects
     * @return {@code loss} then each metric by name, averaged over all samples
     */
    public Map<String, Double> evaluate(FloatMatrix x, FloatMatrix y) {
        return evaluate(x, y, 32);
    }

    /**
     * Keras's {@code evaluate(x, y, batch_size)}.
     *
     * @param x the inputs, {@code [n x features]}, at least one row
     * @param y the targets, one row per row of {@code x}, in the form the loss expects
     * @param batchSize the number of samples per forward pass, at least 1 (does not change the result)
     * @return {@code loss} then each metric by name, averaged over all samples
     * @throws IllegalStateException if the model is closed or not compiled, or trains on another thread
     */
    public Map<String, Double> evaluate(FloatMatrix x, FloatMatrix y, int batchSize) {
        ensureOpen();
        return inference.evaluate(x, y, null, batchSize);
    }

    /**
     * Keras's {@code evaluate(x, y, batch_size, sample_weight)}: the loss is the sum of the weighted
     * per-sample losses divided by the number of samples (as in training); the metrics are not weighted.
     *
     * @param x the inputs, {@code [n x features]}, at least one row
     * @param y the targets, one row per row of {@code x}, in the form the loss expects
     * @param sampleWeight one finite weight per row of {@code x}, not null
     * @param batchSize the number of samples per forward pass, at least 1
     * @return {@code loss} then each metric by name
     */
    public Map<String, Double> evaluate(FloatMatrix x, FloatMatrix y, float[] sampleWeight, int batchSize) {
        ensureOpen();
        java.util.Objects.requireNonNull(sampleWeight, "evaluate: argument 'sample_weight' is null");
        return inference.evaluate(x, y, sampleWeight, batchSize);
    }

    /**
     * Keras's {@code evaluate} on data streamed from disk: one pass of {@code source} in order, weighted by its
     * sample weights if it has any.
     *
     * @param source the data with targets, not null
     * @param batchSize the number of samples per forward pass, at least 1
     * @return {@code loss} then each metric by name, over every sample of the pass
     * @throws java.io.UncheckedIOException if the source cannot be read (the message names it)
     */
    public Map<String, Double> evaluate(BatchSource source, int batchSize) {
        ensureOpen();
        return inference.evaluate(source, batchSize);
    }

    /**
     * Keras's {@code predict(x)} with batch size 32.
     *
     * @param x the inputs, {@code [n x features]}; zero rows gives an empty result
     * @return the outputs, {@code [n x outputSize]}, in inference mode
     */
    public FloatMatrix predict(FloatMatrix x) {
        return predict(x, 32);
    }

    /**
     * Keras's {@code predict(x, batch_size)}: the model's outputs in inference mode.
     *
     * @param x the inputs, {@code [n x features]}, not null; zero rows gives an empty result
     * @param batchSize the number of samples per forward pass, at least 1 (does not change the result)
     * @return the outputs, {@code [n x outputSize]}, a new host matrix
     * @throws IllegalStateException if the model is closed, or trains on another thread
     */
    public FloatMatrix predict(FloatMatrix x, int batchSize) {
        ensureOpen();
        return inference.predict(x, batchSize);
    }

    /**
     * Keras's {@code predict} on data streamed from disk: one pass of {@code source} in order (its targets,
     * if any, are not read); only the outputs are held in memory.
     *
     * @param source the inputs, not null
     * @param batchSize the number of samples per forward pass, at least 1
     * @return the outputs, {@code [samples x outputSize]}, a new host matrix
     * @throws java.io.UncheckedIOException if the source cannot be read (the message names it)
     */
    public FloatMatrix predict(BatchSource source, int batchSize) {
        ensureOpen();
        return inference.predict(source, batchSize);
    }

    /**
     * Keras's {@code test_on_batch(x, y, return_dict=True)}: the loss and metrics of {@code x} as one batch.
     *
     * @param x the batch's inputs, {@code [rows x features]}, not null, at least one row
     * @param y the batch's targets, one row per row of {@code x}, in the form the loss expects
     * @return {@code loss} then each metric by name, over the batch
     */
    public Map<String, Double> testOnBatch(FloatMatrix x, FloatMatrix y) {
        java.util.Objects.requireNonNull(x, "testOnBatch: argument 'x' is null");
        return evaluate(x, y, Math.max(1, x.rows()));
    }

    /**
     * Keras's {@code predict_on_batch(x)}: the outputs of {@code x} as one batch, in inference mode.
     *
     * @param x the batch's inputs, {@code [rows x features]}, not null
     * @return the outputs, {@code [rows x outputSize]}, a new host matrix
     */
    public FloatMatrix predictOnBatch(FloatMatrix x) {
        java.util.Objects.requireNonNull(x, "predictOnBatch: argument 'x' is null");
        return predict(x, Math.max(1, x.rows()));
    }

}
