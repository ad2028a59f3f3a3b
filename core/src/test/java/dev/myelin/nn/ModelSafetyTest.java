package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads on one model, training that cannot be entered twice, and weight loads that fail cleanly. */
class ModelSafetyTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        assertEquals(0, backend.liveTensors(), "every tensor is freed when the model closes");
        backend.close();
    }

    private Sequential trained() {
        Sequential m = GradientApiTest.net(backend, new Adam(0.01f));
        FloatMatrix[] d = GradientApiTest.data(64, 1);
        m.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(16).verbose(0));
        return m;
    }

    @Test
    void predictAndEvaluateFromManyThreadsEqualSerialCalls() throws Exception {
        try (Sequential m = trained()) {
            List<FloatMatrix[]> inputs = new ArrayList<>();
            List<FloatMatrix> predictions = new ArrayList<>();
            List<Map<String, Double>> evaluations = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                FloatMatrix[] d = GradientApiTest.data(5 + 7 * i, 100 + i);
                inputs.add(d);
                predictions.add(m.predict(d[0], 8 + i % 3));
                evaluations.add(m.evaluate(d[0], d[1], 8 + i % 3));
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int offset = t;
                    futures.add(pool.submit(() -> {
                        for (int k = 0; k < 24; k++) {
                            int i = (k + offset) % inputs.size();
                            FloatMatrix[] d = inputs.get(i);
                            assertEquals(predictions.get(i), m.predict(d[0], 8 + i % 3), "predict " + i);
                            if (k % 4 == 0) {
                                assertEquals(evaluations.get(i), m.evaluate(d[0], d[1], 8 + i % 3), "evaluate " + i);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aSecondTrainingCallFailsAtOnce() throws Exception {
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            FloatMatrix[] d = GradientApiTest.data(32, 2);
            CountDownLatch inFit = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Throwable> nested = new ArrayList<>();
            Callback hold = new Callback() {
                @Override
                public void onEpochBegin(int epoch) {
                    try {
                        m.trainOnBatch(d[0], d[1]);
                    } catch (IllegalStateException e) {
                        nested.add(e);
                    }
                    m.predict(d[0]);
                    inFit.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer"));
            try {
                Future<History> fit = pool.submit(() -> m.fit(d[0], d[1], new FitOptions().epochs(1).verbose(0)
                        .callbacks(hold)));
                assertTrue(inFit.await(30, TimeUnit.SECONDS));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.fit(d[0], d[1], 1));
                assertTrue(e.getMessage().contains("fit: the model is already training (in thread 'trainer'"),
                        e.getMessage());
                assertThrows(IllegalStateException.class, () -> m.trainOnBatch(d[0], d[1]));
                assertThrows(IllegalStateException.class, () -> m.computeGradients(d[0], d[1]));
                e = assertThrows(IllegalStateException.class, () -> m.predict(d[0]));
                assertTrue(e.getMessage().contains("predict: the model is training in thread 'trainer'"),
                        e.getMessage());
                release.countDown();
                fit.get(30, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
            assertEquals(1, nested.size(), "trainOnBatch from a callback of fit fails");
            assertTrue(nested.get(0).getMessage().contains("already training"), nested.get(0).getMessage());
            assertEquals(1, m.iterations(), "only fit's one step (32 rows, batch size 32) ran");
            m.trainOnBatch(d[0], d[1]);
            assertEquals(2, m.iterations(), "the model trains again once fit has returned");
        }
    }

    @Test
    void aFailedLoadLeavesAnUnbuiltModelUnbuilt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.safetensors");
        try (Sequential a = Sequential.of(backend, new Dense(3, "relu"), new Dense(2)).seed(1);
                Sequential b = Sequential.of(backend, new Dense(4, "relu"), new Dense(2))) {
            a.input(5).build(5);
            a.saveWeights(file);
            int live = backend.liveTensors();
            b.input(5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadWeights(file));
            assertTrue(e.getMessage().contains("does not fit the model") && e.getMessage().contains("[5 x 4]"),
                    e.getMessage());
            assertFalse(b.isBuilt());
            assertEquals(live, backend.liveTensors(), "the weights built for the load are freed again");
            assertEquals(null, b.layers().get(0).name(), "the automatic names are forgotten");
            assertThrows(java.nio.file.NoSuchFileException.class, () -> b.loadWeights(dir.resolve("missing")));
            assertFalse(b.isBuilt());
            b.build(5);
            assertEquals(List.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"),
                    List.copyOf(b.namedWeights().keySet()));
        }
    }

    @Test
    void aHugeFileThatDoesNotFitFailsBeforeItsDataIsRead(@TempDir Path dir) throws Exception {
        // An 8 GB tensor in a sparse file: reading it would run out of memory long before any check.
        long bytes = 40_000L * 50_000L * 4;
        String json = "{\"dense/kernel\":{\"dtype\":\"F32\",\"shape\":[40000,50000],\"data_offsets\":[0," + bytes + "]}}";
        while (json.length() % 8 != 0) {
            json += " ";
        }
        Path file = dir.resolve("huge.safetensors");
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        Files.write(file, prefix.array());
        Files.write(file, header, java.nio.file.StandardOpenOption.APPEND);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + header.length + bytes);
        }
        try (Sequential m = Sequential.of(backend, new Dense(3, "relu"), new Dense(2))) {
            m.input(5);
            long start = System.nanoTime();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadWeights(file));
            assertTrue(e.getMessage().contains("does not fit the model") && e.getMessage().contains("dense/kernel"),
                    e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "failed without reading 8 GB");
            assertFalse(m.isBuilt());
        }
    }
}
