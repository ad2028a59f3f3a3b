package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Keras 3 callback hooks, their order, the batch logs, and fit's initialEpoch and validationFreq. */
class CallbackHooksTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private static FitOptions options() {
        return new FitOptions().epochs(2).batchSize(16).verbose(0);
    }

    /** Records every hook as a line. */
    private static final class Recorder implements Callback {
        final List<String> calls = new ArrayList<>();
        final boolean logs;

        Recorder(boolean logs) {
            this.logs = logs;
        }

        @Override
        public void onTrainBegin(Sequential model) {
            calls.add("train_begin");
        }

        @Override
        public void onEpochBegin(int epoch) {
            calls.add("epoch_begin " + epoch);
        }

        @Override
        public void onTrainBatchBegin(int batch) {
            calls.add("batch_begin " + batch);
        }

        @Override
        public boolean needsBatchLogs() {
            return logs;
        }

        @Override
        public void onTrainBatchEnd(int batch, Map<String, Double> l) {
            calls.add("batch_end " + batch + " " + l.keySet());
        }

        @Override
        public void onTestBegin() {
            calls.add("test_begin");
        }

        @Override
        public void onTestEnd(Map<String, Double> l) {
            calls.add("test_end " + l.keySet());
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> l) {
            calls.add("epoch_end " + epoch + " " + l.keySet());
        }

        @Override
        public void onTrainEnd(Map<String, Double> l) {
            calls.add("train_end");
        }
    }

    @Test
    void hooksRunInKerasOrderAndBatchLogsOnlyWhenAsked() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            Recorder quiet = new Recorder(false);
            m.fit(d[0], d[1], options().epochs(1).validationData(d[0], d[1]).callbacks(quiet));
            assertEquals(List.of("train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0 []", "batch_begin 1",
                    "batch_end 1 []", "batch_begin 2", "batch_end 2 []", "test_begin", "test_end [loss, accuracy]",
                    "epoch_end 0 [loss, accuracy, val_loss, val_accuracy]", "train_end"), quiet.calls);
            Recorder asking = new Recorder(true);
            m.fit(d[0], d[1], options().epochs(1).callbacks(asking));
            assertTrue(asking.calls.contains("batch_end 0 [loss, accuracy]"), asking.calls.toString());
        }
    }

    @Test
    void batchLogsAreTheRunningMeanOfTheEpoch() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            List<Map<String, Double>> batches = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            Callback c = new Callback() {
                @Override
                public boolean needsBatchLogs() {
                    return true;
                }

                @Override
                public boolean needsBatchLoss() {
                    return true;
                }

                @Override
                public void onBatchEnd(int epoch, int step, double loss) {
                    losses.add(loss);
                }

                @Override
                public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
                    batches.add(logs);
                }
            };
            History h = m.fit(d[0], d[1], options().epochs(1).shuffle(false).callbacks(c));
            assertEquals(3, batches.size());
            // Batches of 16, 16 and 8 samples: the running mean weights each batch's loss by its size.
            double running = (16 * losses.get(0) + 16 * losses.get(1)) / 32;
            assertEquals(losses.get(0), batches.get(0).get("loss"), 1e-6);
            assertEquals(running, batches.get(1).get("loss"), 1e-6);
            assertEquals(h.last("loss"), batches.get(2).get("loss"), 1e-12, "the last batch's logs are the epoch's");
            assertEquals(h.last("accuracy"), batches.get(2).get("accuracy"), 1e-12);
            assertThrows(UnsupportedOperationException.class, () -> batches.get(0).put("x", 1.0), "read-only");
        }
    }

    @Test
    void stopTrainingInABatchHookStopsAfterThatBatch() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            Callback stop = new Callback() {
                private Sequential model;

                @Override
                public void onTrainBegin(Sequential model) {
                    this.model = model;
                }

                @Override
                public void onTrainBatchBegin(int batch) {
                    if (batch == 1) {
                        model.stopTraining(true);
                    }
                }
            };
            m.fit(d[0], d[1], options().epochs(5).callbacks(stop));
            assertEquals(2, m.iterations(), "batches 0 and 1 ran, then fit stopped");
        }
    }

    @Test
    void initialEpochRunsTheLaterEpochsAndResumesTheShuffleExactly() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential whole = GradientApiTest.net(backend, new Adam(0.01f));
                Sequential parts = GradientApiTest.net(backend, new Adam(0.01f))) {
            whole.fit(d[0], d[1], options().epochs(5));
            parts.fit(d[0], d[1], options().epochs(2));
            List<Integer> seen = new ArrayList<>();
            History h = parts.fit(d[0], d[1], options().epochs(5).initialEpoch(2)
                    .callbacks(LambdaCallback.builder().onEpochBegin(seen::add).build()));
            assertEquals(List.of(2, 3, 4), h.epochs(), "Keras's epochs: the index of the last epoch plus one");
            assertEquals(List.of(2, 3, 4), seen);
            assertEquals(whole.namedWeights(), parts.namedWeights(), "fit(2) then fit(5, initialEpoch 2) = fit(5)");
            History none = parts.fit(d[0], d[1], options().epochs(3).initialEpoch(3));
            assertTrue(none.epochs().isEmpty(), "no epoch when the initial epoch is not below epochs");
            assertThrows(IllegalArgumentException.class, () -> new FitOptions().initialEpoch(-1));
        }
    }

    @Test
    void validationFreqValidatesEveryNthEpochOnly() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            List<String> keys = new ArrayList<>();
            History h = m.fit(d[0], d[1], options().epochs(5).validationSplit(0.25).validationFreq(2)
                    .callbacks(LambdaCallback.builder().onEpochEnd((e, logs) -> keys.add(e + " " + logs.keySet()))
                            .build()));
            assertEquals(List.of("0 [loss, accuracy]", "1 [loss, accuracy, val_loss, val_accuracy]",
                    "2 [loss, accuracy]", "3 [loss, accuracy, val_loss, val_accuracy]", "4 [loss, accuracy]"), keys);
            assertEquals(5, h.get("loss").size());
            assertEquals(2, h.get("val_loss").size(), "as Keras's History: one value per validated epoch");
            assertThrows(IllegalArgumentException.class, () -> new FitOptions().validationFreq(0));
        }
    }

    @Test
    void validationFreqAsAListValidatesAfterTheListedEpochsOnly() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            List<Integer> validated = new ArrayList<>();
            FitOptions o = options().epochs(5).validationSplit(0.25).validationFreq(List.of(4, 1, 4, 9))
                    .callbacks(LambdaCallback.builder().onEpochEnd((e, logs) -> {
                        if (logs.containsKey("val_loss")) {
                            validated.add(e + 1);
                        }
                    }).build());
            assertEquals(List.of(1, 4, 9), o.validationEpochs(), "sorted, without repeats");
            assertEquals(0, o.validationFreq());
            History h = m.fit(d[0], d[1], o);
            assertEquals(List.of(1, 4), validated, "Keras's 1-based epoch numbers; 9 is never reached");
            assertEquals(2, h.get("val_loss").size());
            validated.clear();
            m.fit(d[0], d[1], o.validationFreq(List.of()));
            assertEquals(List.of(), validated, "an empty list never validates");
            assertEquals(List.of(), o.validationFreq(3).validationEpochs(), "an int replaces the list");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FitOptions().validationFreq(List.of(2, 0)));
            assertEquals("fit: argument 'validation_freq' must list epoch numbers >= 1 (1-based, as Keras), got 0"
                    + " at index 1", e.getMessage());
            assertThrows(NullPointerException.class, () -> new FitOptions().validationFreq((List<Integer>) null));
        }
    }

    @Test
    void earlyStoppingOnValLossWaitsThroughEpochsWithoutValidation() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            EarlyStopping stop = new EarlyStopping("val_loss", 10, 0, false);
            History h = m.fit(d[0], d[1], options().epochs(8).validationSplit(0.25).validationFreq(3).callbacks(stop));
            // The first validation (epoch 2) sets the best; the second (epoch 5) cannot beat it by 10: stop there.
            assertEquals(List.of(0, 1, 2, 3, 4, 5), h.epochs());
            assertEquals(5, stop.stoppedEpoch());
        }
    }

    @Test
    void autoModeRefusesAKeyWhoseDirectionItCannotTell() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopping("val_my_metric", 0, 1, false));
        assertTrue(e.getMessage().contains("pass mode"), e.getMessage());
        new EarlyStopping("val_my_metric", 0, 1, "max", false, null, 0, null);
        assertFalse(new Monitor("x", "val_loss", "auto", 0).maximize());
        assertTrue(new Monitor("x", "val_auc", "auto", 0).maximize());
        assertTrue(new Monitor("x", "precision@0.3", "auto", 0).maximize());
        assertFalse(new Monitor("x", "mae", "auto", 0).maximize());
    }
}
