package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's {@code evaluate} and {@code predict} of a {@link Sequential}, safe from many threads: each batch
 * runs on a {@link BatchPlan} checked out for that call alone, and evaluations take turns on the model's
 * loss and metric accumulators.
 */
final class Inference {

    private final Model model;

    Inference(Model model) {
        this.model = model;
    }

    Map<String, Double> evaluate(FloatMatrix x, FloatMatrix y, int batchSize) {
        model.requireCompiled("evaluate");
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluate: argument 'batch_size' must be >= 1, got " + batchSize);
        }
        model.guard.enterShared("evaluate");
        try {
            InputChecks.checkData(model, "evaluate", "x", "y", x, y);
            return evaluatePrepared(model, x, model.loss.prepareTargets("y", y, model.outputs), batchSize);
        } finally {
            model.guard.exitShared();
        }
    }

    /** The loss and metrics over {@code x} and prepared targets {@code y} (also fit's validation). */
    static Map<String, Double> evaluatePrepared(Model model, FloatMatrix x, FloatMatrix y, int batchSize) {
        int n = x.rows();
        if (n == 0) {
            throw new IllegalArgumentException("evaluate: argument 'x' has no samples");
        }
        StepRunner steps = model.steps;
        // One evaluation at a time: they share the loss sum and the metrics' accumulators.
        synchronized (steps) {
            steps.resetAccumulators();
            int batch = Math.min(batchSize, n);
            for (int start = 0; start < n; start += batch) {
                int rows = Math.min(batch, n - start);
                BatchPlan p = model.plans.acquire(rows);
                try {
                    p.stage(x, y, null, start, false, model.loss);
                    Tensor out = steps.forward(p, false, model.fused, model.iterations, 0);
                    Tensor prediction = steps.lossAndGradient(p, out);
                    steps.stepLoss(p);
                    steps.accumulateLoss(p);
                    steps.updateMetrics(p, prediction);
                } finally {
                    model.plans.release(p);
                }
            }
            return steps.currentLogs(n);
        }
    }

    FloatMatrix predict(FloatMatrix x, int batchSize) {
        Objects.requireNonNull(x, "predict: argument 'x' is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("predict: argument 'batch_size' must be >= 1, got " + batchSize);
        }
        model.guard.enterShared("predict");
        try {
            InputChecks.ensureBuilt(model, "predict", "x", x);
            int n = x.rows();
            int outputs = model.outputs;
            float[] result = new float[Math.multiplyExact(n, outputs)];
            if (n == 0) {
                return new FloatMatrix(0, outputs, result);
            }
            int batch = Math.min(batchSize, n);
            for (int start = 0; start < n; start += batch) {
                int rows = Math.min(batch, n - start);
                BatchPlan p = model.plans.acquire(rows);
                try {
                    p.x.copyFrom(x.data(), start * model.inputSize);
                    model.steps.forward(p, false, false, model.iterations, 0).copyTo(result, start * outputs);
                } finally {
                    model.plans.release(p);
                }
            }
            return new FloatMatrix(n, outputs, result);
        } finally {
            model.guard.exitShared();
        }
    }
}
