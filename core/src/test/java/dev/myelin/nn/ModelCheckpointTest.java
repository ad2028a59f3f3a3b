package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ModelCheckpoint: file-name patterns, whole model or weights, best-only with modes, batch frequency. */
class ModelCheckpointTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private static FitOptions options() {
        return new FitOptions().epochs(3).batchSize(16).verbose(0);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyEpochWritesAWholeModelThatResumesAndNamesItFromTheLogs(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            History h = m.fit(d[0], d[1], options().validationSplit(0.25).callbacks(
                    new ModelCheckpoint(dir.resolve("ckpt/m-{epoch:02d}-{val_loss:.3f}.myelin"))));
            List<Double> losses = h.get("val_loss");
            List<String> expected = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                expected.add(String.format(java.util.Locale.ROOT, "m-%02d-%.3f.myelin", e + 1, losses.get(e)));
            }
            assertEquals(expected, names(dir.resolve("ckpt")), "folder made, one file per epoch");
            try (Sequential last = Sequential.load(dir.resolve("ckpt").resolve(expected.get(2)), backend)) {
                assertEquals(m.namedWeights(), last.namedWeights());
                assertEquals(m.iterations(), last.iterations());
            }
        }
    }

    @Test
    void saveBestOnlyKeepsTheBestEpochInMinAndMaxMode(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.05f))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelCheckpoint best = new ModelCheckpoint(dir.resolve("best.safetensors")).monitor("loss")
                    .saveBestOnly(true).saveWeightsOnly(true).verbose(1)
                    .out(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            ModelCheckpoint maxAcc = new ModelCheckpoint(dir.resolve("acc-{epoch}.safetensors")).monitor("accuracy")
                    .mode("max").saveBestOnly(true).saveWeightsOnly(true);
            History h = m.fit(d[0], d[1], options().epochs(6).callbacks(best, maxAcc));
            List<Double> loss = h.get("loss");
            double min = loss.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            assertEquals(min, best.best(), 0.0);
            String log = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("Epoch 1: loss improved from None to "), log);
            // Each file named {epoch} is an epoch whose accuracy beat every earlier one.
            List<Double> acc = h.get("accuracy");
            double running = Double.NEGATIVE_INFINITY;
            List<String> expected = new ArrayList<>();
            for (int e = 0; e < acc.size(); e++) {
                if (acc.get(e) > running) {
                    running = acc.get(e);
                    expected.add("acc-" + (e + 1) + ".safetensors");
                }
            }
            List<String> files = new ArrayList<>(names(dir));
            files.remove("best.safetensors");
            assertEquals(expected.stream().sorted().toList(), files);
            assertEquals(m.namedWeights().keySet(), SafeTensors.read(dir.resolve("best.safetensors")).keySet());
        }
    }

    @Test
    void aMissingMonitorWarnsAndSaves(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (CapturedLog log = new CapturedLog(ModelCheckpoint.class);
                Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            List<LogRecord> warnings = log.records();
            m.fit(d[0], d[1], options().epochs(1).callbacks(
                    new ModelCheckpoint(dir.resolve("m.myelin").toString()).saveBestOnly(true)));
            assertTrue(Files.exists(dir.resolve("m.myelin")), "saved anyway, as Keras");
            assertEquals(1, warnings.size());
            assertEquals("Can save best model only with val_loss available.", warnings.get(0).getMessage());
        }
    }

    @Test
    void saveFreqInBatchesCountsAcrossEpochs(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            // 3 batches an epoch, 2 epochs: saves after global batches 2, 4 and 6.
            ModelCheckpoint every2 = new ModelCheckpoint(dir.resolve("e{epoch}-b{batch}.myelin")).saveFreq(2);
            assertFalse(every2.needsBatchLogs(), "names from epoch and batch need no device read");
            m.fit(d[0], d[1], options().epochs(2).callbacks(every2));
            assertEquals(List.of("e1-b2.myelin", "e2-b1.myelin", "e2-b3.myelin"), names(dir));
            assertTrue(new ModelCheckpoint("x-{loss:.2f}.myelin").saveFreq(2).needsBatchLogs());
        }
    }

    @Test
    void badArgumentsFailBeforeTraining(@TempDir Path dir) {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(d[0], d[1],
                    options().callbacks(new ModelCheckpoint(dir.resolve("w.h5")).saveWeightsOnly(true))));
            assertTrue(e.getMessage().contains(".safetensors"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.fit(d[0], d[1],
                    options().callbacks(new ModelCheckpoint(dir.resolve("m.keras")))));
            assertTrue(e.getMessage().contains(".myelin"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.fit(d[0], d[1],
                    options().callbacks(new ModelCheckpoint(dir.resolve("m.myelin")).monitor("val_custom"))));
            assertEquals(0, m.iterations(), "nothing trained");
            assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m.myelin").saveFreq("batch"));
            assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m-{epoch.myelin"));
        }
    }
}
