package dev.myelin.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The threading contract every backend passes: one backend instance shared by {@link #THREADS} threads
 * gives, bit for bit, the results of the same work run on one thread, with no crash and no exception.
 * The work is {@link ConcurrentWork}: GEMMs of every transpose, activations and their gradients,
 * softmax, reductions, argmax, broadcasts, random fills, dropout, fused losses, optimizer steps and
 * tensors allocated and closed throughout, plus small trainings through the ops and through
 * {@link Sequential}. Each task is a pure function of its seed, so the serial run is the reference.
 *
 * <p>A backend module runs it by extending this class and returning its backend from
 * {@link #createBackend()} (skipping with an assumption where it cannot run here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConcurrencyContract {

    /** Threads sharing the backend: more than the cores of a CI machine, so they really interleave. */
    protected static final int THREADS = 4;
    /** Tasks each thread runs. */
    protected static final int TASKS_PER_THREAD = 3;
    private static final long TIMEOUT_SECONDS = 120;

    /** A new instance of the backend under test; the contract closes it. */
    protected abstract Backend createBackend();

    /** The shared backend. */
    protected Backend backend;

    @BeforeAll
    final void openBackend() {
        backend = createBackend();
        assertNotNull(backend, "createBackend() returned null");
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void mixedOperationsFromManyThreadsEqualTheSameWorkRunSerially() throws InterruptedException {
        assertConcurrentEqualsSerial("mixed operations", seed -> ConcurrentWork.mixed(backend, seed));
    }

    @Test
    void trainingsThroughTheOpsFromManyThreadsEqualSerialOnes() throws InterruptedException {
        assertConcurrentEqualsSerial("training through the ops", seed -> ConcurrentWork.training(backend, seed));
    }

    @Test
    void sequentialModelsTrainedOnManyThreadsEqualSerialOnes() throws InterruptedException {
        assertConcurrentEqualsSerial("Sequential.fit", this::trainModel);
    }

    @Test
    void tensorsMadeOnOneThreadAreUsedAndClosedOnAnother() throws InterruptedException {
        int before = backend.liveTensors();
        int count = 200;
        BlockingQueue<Tensor> handoff = new ArrayBlockingQueue<>(16);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    Tensor t = backend.tensor(16, 33);
                    backend.fill(t, i);
                    handoff.put(t);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "producer");
        float[] sums = new float[count];
        Thread consumer = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    Tensor t = handoff.take();
                    try (Tensor s = backend.tensor(1, 1)) {
                        backend.reduce(Reduction.SUM, Axis.ALL, t, s);
                        sums[i] = s.toArray()[0];
                    }
                    // Closed twice from two threads: the first close frees it, the second does nothing.
                    Thread other = new Thread(t::close);
                    other.start();
                    t.close();
                    other.join();
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "consumer");
        producer.start();
        consumer.start();
        producer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        consumer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (!failures.isEmpty()) {
            fail("hand-off between threads failed: " + failures.getFirst(), failures.getFirst());
        }
        for (int i = 0; i < count; i++) {
            assertEquals(16 * 33 * (float) i, sums[i], "sum of tensor " + i + " filled with " + i);
        }
        assertEquals(before, backend.liveTensors(), "every tensor closed once");
    }

    @Test
    void aTensorClosedByAnotherThreadIsAClearErrorNotACrash() throws InterruptedException {
        Tensor t = backend.tensor(8, 8);
        Thread closer = new Thread(t::close);
        closer.start();
        closer.join();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.fill(t, 1f));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private float[] trainModel(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 48;
        float[] xs = new float[rows * 6];
        float[] ys = new float[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 6; j++) {
                xs[i * 6 + j] = (float) rnd.nextDouble(-1, 1);
            }
            ys[i] = xs[i * 6] + xs[i * 6 + 1] > 0 ? 1 : 0;
        }
        try (Sequential model = new Sequential(backend).seed(seed).input(6)) {
            model.add(new Dense(12, "tanh")).add(new Dense(2, "softmax"));
            model.compile("adam", "sparse_categorical_crossentropy");
            model.fit(new FloatMatrix(rows, 6, xs), new FloatMatrix(rows, 1, ys),
                    new FitOptions().batchSize(16).epochs(3).shuffle(false).verbose(0));
            List<float[]> parts = new ArrayList<>();
            for (FloatMatrix w : model.getWeights()) {
                parts.add(w.data());
            }
            return ConcurrentWork.concat(parts);
        }
    }

    /**
     * Runs {@code task} for every seed serially, then the same seeds spread over {@link #THREADS} threads
     * that start together, and asserts each result is bit-identical and nothing threw.
     */
    private void assertConcurrentEqualsSerial(String what, LongFunction<float[]> task) throws InterruptedException {
        int tasks = THREADS * TASKS_PER_THREAD;
        float[][] serial = new float[tasks][];
        for (int i = 0; i < tasks; i++) {
            serial[i] = task.apply(seedOf(i));
        }
        float[][] concurrent = new float[tasks][];
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = first; i < tasks; i += THREADS) {
                        concurrent[i] = task.apply(seedOf(i));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, what + " " + t);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            assertTrue(!thread.isAlive(), thread.getName() + " still running after " + TIMEOUT_SECONDS + " s");
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(what + ": " + failures.size() + " exception(s) from "
                    + THREADS + " threads sharing one backend; the first: " + failures.getFirst(), failures.getFirst());
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
        for (int i = 0; i < tasks; i++) {
            ConcurrentWork.assertBitIdentical(what + ", task " + i + " (thread " + (i % THREADS) + ")", serial[i],
                    concurrent[i]);
        }
    }

    private static long seedOf(int task) {
        return 0x5eed_0000L + 31L * task;
    }
}
