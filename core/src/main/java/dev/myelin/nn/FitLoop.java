package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.CounterRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Keras's {@code fit} loop of a {@link Sequential}: validation split, per-epoch shuffling, batching,
 * callbacks, progress output and the history; each step is {@link StepRunner#trainStep}.
 */
final class FitLoop {

    private final Model model;

    FitLoop(Model model) {
        this.model = model;
    }

    History fit(FloatMatrix x, FloatMatrix y, FitOptions options) {
        Objects.requireNonNull(options, "fit: argument 'options' is null");
        model.requireCompiled("fit");
        model.guard.enter("fit");
        try {
            return run(x, y, options);
        } finally {
            model.guard.exit();
        }
    }

    private History run(FloatMatrix x, FloatMatrix y, FitOptions options) {
        Loss loss = model.loss;
        StepRunner steps = model.steps;
        InputChecks.checkData(model, "fit", "x", "y", x, y);
        FloatMatrix trainX = x;
        FloatMatrix trainY = loss.prepareTargets("y", y, model.outputs);
        FloatMatrix valX = null;
        FloatMatrix valY = null;
        if (options.validationX() != null) {
            InputChecks.checkData(model, "fit", "validation_data x", "validation_data y", options.validationX(),
                    options.validationY());
            valX = options.validationX();
            valY = loss.prepareTargets("validation_data y", options.validationY(), model.outputs);
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
        int stepsPerEpoch = (n + batch - 1) / batch;
        CallbackList callbacks = new CallbackList(options.callbacks());
        ProgressLogger progress = new ProgressLogger(options.out(), options.verbose(), options.epochs(),
                stepsPerEpoch);
        History history = new History();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        model.stopTraining = false;
        model.restoredEpoch = -1;
        callbacks.trainBegin((Sequential) model);
        // A BackupAndRestore that restored an interrupted run says where it stopped (Keras's _initial_epoch).
        int firstEpoch = model.restoredEpoch >= 0 ? model.restoredEpoch : options.initialEpoch();
        model.restoredEpoch = -1;
        Map<String, Double> logs = new LinkedHashMap<>();
        for (int epoch = firstEpoch; epoch < options.epochs() && !model.stopTraining; epoch++) {
            callbacks.epochBegin(epoch);
            progress.epochBegin(epoch);
            if (options.shuffle()) {
                // Each epoch's order depends only on the seed and the epochs trained so far (a shuffle of the
                // identity, not of the last order): a second fit call, or a model loaded from a file, draws
                // exactly the orders one uninterrupted fit would, whatever its initial epoch.
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                shuffle(order, CounterRandom.streamSeed(model.seed ^ 0x5348554646L, model.epochsTrained));
            }
            steps.resetAccumulators();
            int done = 0;
            for (int step = 0; step < stepsPerEpoch; step++) {
                int start = step * batch;
                int rows = Math.min(batch, n - start);
                callbacks.trainBatchBegin(step);
                BatchPlan p = model.plans.acquire(rows);
                try {
                    p.stage(trainX, trainY, order, start, options.shuffle(), loss);
                    steps.trainStep(p);
                } finally {
                    model.plans.release(p);
                }
                done += rows;
                callbacks.trainBatchEnd(steps, epoch, step, done);
                if (model.stopTraining) {
                    break;
                }
                if (progress.wantsRefresh(step)) {
                    progress.refresh(step, steps.currentLogs(done));
                }
            }
            logs = steps.currentLogs(done);
            double epochLoss = logs.get("loss");
            if (!Double.isFinite(epochLoss)) {
                int firstBad = (int) steps.readScalar(steps.finiteSteps) + 1;
                System.getLogger(Sequential.class.getName()).log(System.Logger.Level.WARNING, "the loss is "
                        + epochLoss + " in epoch " + (epoch + 1) + " from step " + firstBad + " of " + stepsPerEpoch);
            }
            // Keras validates after epochs whose 1-based number is a multiple of validation_freq.
            if (valX != null && (epoch + 1) % options.validationFreq() == 0) {
                callbacks.testBegin();
                Map<String, Double> val = Inference.evaluatePrepared(model, valX, valY, batch);
                callbacks.testEnd(val);
                for (Map.Entry<String, Double> e : val.entrySet()) {
                    logs.put("val_" + e.getKey(), e.getValue());
                }
            }
            model.epochsTrained++;
            // The user's callbacks first, then the history and the progress line (Keras appends its History
            // and ProgbarLogger last), so keys a callback adds (learning_rate) are recorded and shown.
            callbacks.epochEnd(epoch, logs);
            history.record(epoch, logs);
            progress.epochEnd(logs);
        }
        model.optimizer.finish(model.trainable, model.iterations);
        callbacks.trainEnd(logs);
        return history;
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
}
