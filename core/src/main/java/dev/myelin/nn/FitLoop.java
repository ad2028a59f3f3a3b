package dev.myelin.nn;

import dev.myelin.data.BatchSource;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.CounterRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's {@code fit} loop of a {@link Sequential}: epochs, callbacks, validation, progress output and the
 * history. {@link FitData} resolves the data, {@link EpochSteps} says which batches make an epoch, and each
 * step is {@link StepRunner#trainStep}.
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
        try (FitData data = FitData.of(model, x, y, options)) {
            return run(data, options);
        } finally {
            model.guard.exit();
        }
    }

    History fit(BatchSource source, FitOptions options) {
        Objects.requireNonNull(options, "fit: argument 'options' is null");
        model.requireCompiled("fit");
        model.guard.enter("fit");
        try (FitData data = FitData.of(model, source, options)) {
            return run(data, options);
        } finally {
            model.guard.exit();
        }
    }

    private History run(FitData data, FitOptions options) {
        StepRunner steps = model.steps;
        EpochSteps batches = new EpochSteps(data.train, options.stepsPerEpoch(), options.shuffle());
        CallbackList callbacks = new CallbackList(options.callbacks());
        ProgressLogger progress = new ProgressLogger(options.out(), options.verbose(), options.epochs(),
                batches.expectedSteps());
        History history = new History();
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
            // Each epoch's order depends only on the seed and the epochs trained so far (a shuffle of the
            // identity, not of the last order): a second fit call, or a model loaded from a file, draws
            // exactly the orders one uninterrupted fit would, whatever its initial epoch.
            batches.beginEpoch(CounterRandom.streamSeed(model.seed ^ 0x5348554646L, model.epochsTrained));
            steps.resetAccumulators();
            int done = 0;
            for (BatchPlan p; (p = batches.next()) != null; ) {
                int step = batches.steps() - 1;
                callbacks.trainBatchBegin(step);
                try {
                    steps.trainStep(p);
                } finally {
                    model.plans.release(p);
                }
                done += p.batch;
                callbacks.trainBatchEnd(steps, epoch, step, done);
                if (model.stopTraining) {
                    break;
                }
                if (progress.wantsRefresh(step)) {
                    progress.refresh(step, steps.currentLogs(done));
                }
            }
            batches.endEpoch(epoch);
            logs = steps.currentLogs(done);
            double epochLoss = logs.get("loss");
            if (!Double.isFinite(epochLoss)) {
                int firstBad = (int) steps.readScalar(steps.finiteSteps) + 1;
                System.getLogger(Sequential.class.getName()).log(System.Logger.Level.WARNING, "the loss is "
                        + epochLoss + " in epoch " + (epoch + 1) + " from step " + firstBad + " of " + batches.steps());
            }
            if (data.validation != null && options.validationSchedule().validatesAfter(epoch)) {
                callbacks.testBegin();
                Map<String, Double> val = Inference.evaluateFeed(model, data.validation);
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
            progress.epochEnd(batches.steps(), logs);
        }
        model.optimizer.finish(model.trainable, model.iterations);
        callbacks.trainEnd(logs);
        return history;
    }
}
