package dev.myelin.nn;

import dev.myelin.data.BatchSource;
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

    Map<String, Double> evaluate(FloatMatrix x, FloatMatrix y, float[] sampleWeight, int batchSize) {
        model.requireCompiled("evaluate");
        checkBatchSize("evaluate", batchSize);
        model.guard.enterShared("evaluate");
        try {
            InputChecks.checkData(model, "evaluate", "x", "y", x, y);
            float[] w = sampleWeight == null ? null
                    : SampleWeights.check("evaluate", "sample_weight", sampleWeight, x.rows());
            FloatMatrix targets = model.loss.prepareTargets("y", y, model.outputs);
            return evaluateFeed(model, new MatrixFeed(model, x, targets, w, batchSize));
        } finally {
            model.guard.exitShared();
        }
    }

    Map<String, Double> evaluate(BatchSource source, int batchSize) {
        model.requireCompiled("evaluate");
        checkBatchSize("evaluate", batchSize);
        model.guard.enterShared("evaluate");
        try {
            SourceFeed.check(model, "evaluate", source, true);
            try (SourceFeed feed = new SourceFeed(model, "evaluate", source, batchSize, null)) {
                return evaluateFeed(model, feed);
            }
        } finally {
            model.guard.exitShared();
        }
    }

    /** The loss and metrics over {@code x} and prepared targets {@code y} (also fit's validation). */
    static Map<String, Double> evaluatePrepared(Model model, FloatMatrix x, FloatMatrix y, int batchSize) {
        return evaluateFeed(model, new MatrixFeed(model, x, y, null, batchSize));
    }

    /** The loss (weighted when the batches are) and metrics over one pass of {@code feed}, in order. */
    static Map<String, Double> evaluateFeed(Model model, BatchFeed feed) {
        StepRunner steps = model.steps;
        // One evaluation at a time: they share the loss sum and the metrics' accumulators.
        synchronized (steps) {
            steps.resetAccumulators();
            feed.startPass(false, 0L);
            for (BatchPlan p; (p = feed.next()) != null; ) {
                try {
                    Tensor out = steps.forward(p, false, model.fused, model.iterations, 0);
                    Tensor prediction = steps.lossAndGradient(p, out);
                    steps.stepLoss(p);
                    steps.accumulateLoss(p);
                    steps.updateMetrics(p, prediction);
                } finally {
                    model.plans.release(p);
                }
            }
            if (feed.delivered == 0) {
                throw new IllegalArgumentException("evaluate: argument 'x' has no samples");
            }
            return steps.currentLogs((int) feed.delivered);
        }
    }

    private static void checkBatchSize(String op, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(op + ": argument 'batch_size' must be >= 1, got " + batchSize);
        }
    }

    FloatMatrix predict(FloatMatrix x, int batchSize) {
        Objects.requireNonNull(x, "predict: argument 'x' is null");
        checkBatchSize("predict", batchSize);
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

    /** The outputs for every sample of one in-order pass of {@code source} (its targets are not read). */
    FloatMatrix predict(BatchSource source, int batchSize) {
        checkBatchSize("predict", batchSize);
        model.guard.enterShared("predict");
        try {
            SourceFeed.check(model, "predict", source, false);
            return PredictStream.predict(model, source, batchSize);
        } finally {
            model.guard.exitShared();
        }
    }
}
