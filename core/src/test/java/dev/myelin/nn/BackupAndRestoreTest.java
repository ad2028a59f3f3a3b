package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.schedules.PiecewiseConstantDecay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BackupAndRestore: a fit interrupted mid-epoch and run again ends with the uninterrupted run's weights. */
class BackupAndRestoreTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        assertEquals(0, backend.liveTensors(), "every tensor is freed when the models close");
        backend.close();
    }

    private static FitOptions options() {
        return new FitOptions().epochs(5).batchSize(16).verbose(0);
    }

    /** Throws in batch 1 of epoch 3, after the backup of epochs 0-2: the model's weights are half an epoch on. */
    private static Callback crash() {
        return new Callback() {
            private int epoch;

            @Override
            public void onEpochBegin(int epoch) {
                this.epoch = epoch;
            }

            @Override
            public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
                if (epoch == 3 && batch == 1) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
    }

    private void interruptedRunEqualsUninterrupted(Path dir, java.util.function.Supplier<Optimizer> optimizer)
            throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        Path backupDir = dir.resolve("backup");
        try (Sequential uninterrupted = GradientApiTest.net(backend, optimizer.get());
                Sequential crashed = GradientApiTest.net(backend, optimizer.get())) {
            History whole = uninterrupted.fit(d[0], d[1], options().validationSplit(0.2));
            BackupAndRestore backup = new BackupAndRestore(backupDir);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> crashed.fit(d[0], d[1], options().validationSplit(0.2).callbacks(backup, crash())));
            assertEquals("simulated crash", e.getMessage());
            assertTrue(Files.exists(backup.file()), "the backup of epoch 2 stays after a crash");
            // The same model object (weights half an epoch on) and a new one, as a new process would build.
            try (Sequential fresh = GradientApiTest.net(backend, optimizer.get())) {
                Path copy = dir.resolve("copy");
                Files.createDirectories(copy);
                Files.copy(backup.file(), copy.resolve(BackupAndRestore.FILE_NAME));
                History rest = fresh.fit(d[0], d[1], options().validationSplit(0.2)
                        .callbacks(new BackupAndRestore(copy)));
                assertEquals(List.of(3, 4), rest.epochs(), "continues at the epoch after the backup");
                assertEquals(uninterrupted.namedWeights(), fresh.namedWeights(), "new model: bit for bit");
                assertEquals(whole.get("loss").subList(3, 5), rest.get("loss"));
                assertFalse(Files.exists(copy), "the backup and its emptied folder are deleted at the end");
            }
            crashed.fit(d[0], d[1], options().validationSplit(0.2).callbacks(backup));
            assertEquals(uninterrupted.namedWeights(), crashed.namedWeights(), "same model object: bit for bit");
            assertEquals(uninterrupted.iterations(), crashed.iterations());
            assertFalse(Files.exists(backup.file()));
        }
    }

    @Test
    void aCrashedFitRerunEndsAsTheUninterruptedOne(@TempDir Path dir) throws Exception {
        interruptedRunEqualsUninterrupted(dir, () -> new Adam(0.01f));
    }

    @Test
    void aScheduledOptimizerWithOptionsResumesExactly(@TempDir Path dir) throws Exception {
        interruptedRunEqualsUninterrupted(dir, () -> new RMSprop(0.01f, 0.9f, 0.5f, 1e-7f, true).clipvalue(0.5f)
                .useEma(true).learningRate(new PiecewiseConstantDecay(new long[] {4, 9}, new double[] {0.02, 0.01,
                    0.005})));
    }

    @Test
    void keepsTheBackupWhenAskedAndRefusesAnotherModel(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        BackupAndRestore keep = new BackupAndRestore(dir, "epoch", false);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            m.fit(d[0], d[1], options().epochs(2).callbacks(keep));
        }
        assertTrue(Files.exists(keep.file()));
        try (Sequential other = Sequential.of(backend, new Dense(3, "softmax")).seed(21)) {
            other.input(5).compile(new Adam(0.01f), Loss.sparseCategoricalCrossentropy(), "accuracy");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> other.fit(d[0], d[1], options().callbacks(keep)));
            assertTrue(e.getMessage().contains("architecture"), e.getMessage());
            assertEquals(0, other.iterations());
        }
        try (Sequential sgd = GradientApiTest.net(backend, new SGD())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sgd.fit(d[0], d[1], options().callbacks(keep)));
            assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new BackupAndRestore(dir, "batch", true));
    }
}
