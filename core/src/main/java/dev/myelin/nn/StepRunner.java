package dev.myelin.nn;

import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernels of one batch on a staged {@link BatchPlan}: forward through every layer, the loss and its
 * gradient, the loss and metric accumulators, backward into the weight gradients, and the optimizer
 * update. Training and evaluation are sequences of these calls; this class also owns the device scalars
 * they accumulate into.
 */
final class StepRunner {

    private final Model model;
    private final Backend backend;
    /** The last step's loss with weight penalties. */
    Tensor stepLoss;
    private Tensor lossSum;
    private Tensor scratchScalar;
    /** How many leading steps of the epoch had a finite running loss. */
    Tensor finiteSteps;
    private Tensor isFinite;
    private final float[] scalarHost = new float[1];

    StepRunner(Model model) {
        this.model = model;
        this.backend = model.backend;
    }

    /** Creates the device scalars (when the model is built). */
    void allocate() {
        stepLoss = backend.tensor(1, 1);
        lossSum = backend.tensor(1, 1);
        scratchScalar = backend.tensor(1, 1);
        finiteSteps = backend.tensor(1, 1);
        isFinite = backend.tensor(1, 1);
    }

    /** One training step on the staged batch: forward, loss, metrics, backward, optimizer update. */
    void trainStep(BatchPlan p) {
        Tensor prediction = forwardLoss(p, model.iterations, 0);
        accumulateLoss(p);
        // The metrics read the prediction before backward, which may overwrite buffers.
        updateMetrics(p, prediction);
        backward(p);
        applyUpdate();
    }

    /**
     * Forward in training mode with the random key {@code (step, firstRow)}, the loss into p.loss and its
     * gradient into p.grad, and the step's loss (weight penalties included) into {@link #stepLoss}.
     * Returns the prediction the metrics see.
     */
    Tensor forwardLoss(BatchPlan p, long step, long firstRow) {
        Tensor out = forward(p, true, model.fused, step, firstRow);
        Tensor prediction = lossAndGradient(p, out);
        stepLoss(p);
        return prediction;
    }

    /** One optimizer step with the gradients in the weights' gradient buffers. */
    void applyUpdate() {
        model.optimizer.apply(model.trainable, model.iterations);
        model.iterations++;
    }

    /**
     * Backpropagates p.grad into the weight gradients of the layers the model trains. A frozen layer skips its
     * weight gradients; the layers below the lowest trained one (a frozen base) are not run backward at all.
     */
    void backward(BatchPlan p) {
        Tensor g = p.grad;
        Layer.Pass pass = p.pass;
        List<Layer> layers = model.layers;
        int last = layers.size() - 1;
        int lowest = 0;
        while (lowest <= last && !layers.get(lowest).weightsTrained) {
            lowest++;
        }
        for (int i = last; i >= lowest; i--) {
            pass.skipOutputActivation = model.fused && i == last;
            pass.needInputGradient = i > lowest;
            pass.needWeightGradients = layers.get(i).weightsTrained;
            g = layers.get(i).backward(p.frames[i], g, pass);
        }
    }

    /** Runs every layer; {@code skipOutputActivation} leaves the last activation to a fused loss. */
    Tensor forward(BatchPlan p, boolean training, boolean skipOutputActivation, long step, long firstRow) {
        Tensor t = p.x;
        Layer.Pass pass = p.pass;
        pass.training = training;
        pass.step = step;
        pass.firstRow = firstRow;
        pass.needInputGradient = false;
        int last = model.layers.size() - 1;
        for (int i = 0; i <= last; i++) {
            pass.skipOutputActivation = skipOutputActivation && i == last;
            t = model.layers.get(i).forward(p.frames[i], t, pass);
        }
        return t;
    }

    /**
     * Loss per element into p.loss, its gradient into p.grad; returns the model's prediction for the metrics.
     * A weighted batch scales each row of both by its sample's weight. The loss's scale stays 1 / batch
     * size: Keras's "sum_over_batch_size" divides the weighted sum by the number of samples, not by the
     * sum of the weights.
     */
    Tensor lossAndGradient(BatchPlan p, Tensor out) {
        // p.tmpA holds smoothed labels; the metrics reuse it only after the loss is computed.
        Tensor prediction = LossComputation.apply(model.loss, backend, model.fused, out, p.target, p.probs, p.loss,
                p.grad, p.tmpA);
        if (p.weighted) {
            backend.binary(BinaryOp.MUL, p.loss, p.weights, p.loss);
            backend.binary(BinaryOp.MUL, p.grad, p.weights, p.grad);
        }
        return prediction;
    }

    /** The batch's loss plus the weight penalties into {@link #stepLoss}. */
    void stepLoss(BatchPlan p) {
        backend.reduce(Reduction.SUM, Axis.ALL, p.loss, stepLoss);
        for (Parameter param : model.trainable) {
            param.addPenalty(scratchScalar, stepLoss, 1f);
        }
    }

    /**
     * Adds the step's loss, weighted by the batch size, into the epoch's sum, and counts the leading steps
     * whose loss was finite: {@code x - x} equals itself only for a finite x (it is NaN for NaN and infinities).
     */
    void accumulateLoss(BatchPlan p) {
        backend.axpby(p.batch, stepLoss, 1f, lossSum);
        // The running sum stays finite until the first bad step; count the steps it is still finite.
        backend.binary(BinaryOp.SUB, lossSum, lossSum, isFinite);
        backend.binary(BinaryOp.EQUAL, isFinite, isFinite, isFinite);
        backend.binary(BinaryOp.ADD, finiteSteps, isFinite, finiteSteps);
    }

    void updateMetrics(BatchPlan p, Tensor prediction) {
        for (Metric m : model.metrics) {
            m.update(prediction, p.target, p.tmpA, p.tmpB, p.colA, p.colB);
        }
    }

    /** Zeroes the loss sum, the finite-step counter and the metrics' accumulators. */
    void resetAccumulators() {
        backend.fill(lossSum, 0f);
        backend.fill(finiteSteps, 0f);
        for (Metric m : model.metrics) {
            m.reset();
        }
    }

    /** The mean loss over {@code samples} and every metric's value so far (host reads). */
    Map<String, Double> currentLogs(int samples) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", readScalar(lossSum) / samples);
        for (Metric m : model.metrics) {
            m.addLogs(logs);
        }
        return logs;
    }

    double readScalar(Tensor t) {
        t.copyTo(scalarHost, 0);
        return scalarHost[0];
    }

    void release() {
        Layer.close(stepLoss, lossSum, scratchScalar, finiteSteps, isFinite);
    }
}
