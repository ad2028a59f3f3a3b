package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Dense;
import dev.myelin.nn.Sequential;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A whole training step on the CPU backend (upload, forward, loss, backward, Adam) allocates less than
 * 1 KiB on the heap once C2 has compiled it: the buffers live in the model's plans and the kernels'
 * scratch in the backend. One worker thread, so every kernel runs on the measured thread. The
 * {@code -prof gc} figure of {@code TrainingBenchmark.step} cannot show this any more, as it counts the
 * fresh model each of its iterations builds.
 *
 * <p>Before C2 compiles the kernels the Vector API's interpreted path boxes its vectors (about 17 KB a
 * step), and when it does depends on the machine, so the test measures windows of 200 steps until one
 * is under the bound or the warm-up budget is spent; it fails if no window ever is.
 */
class TrainingStepAllocationCpuTest {

    private static final long BOUND_PER_STEP = 1024;
    private static final int WINDOW = 200;
    private static final int MAX_WINDOWS = 60;

    @Test
    void aWarmTrainingStepAllocatesUnderOneKibibyte() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int batch = 128;
        int batches = 8;
        SplittableRandom r = new SplittableRandom(7);
        FloatMatrix[] xs = new FloatMatrix[batches];
        FloatMatrix[] ys = new FloatMatrix[batches];
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble();
            }
            float[] y = new float[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = r.nextInt(10);
            }
            xs[b] = new FloatMatrix(batch, 784, x);
            ys[b] = new FloatMatrix(batch, 1, y);
        }
        try (CpuBackend backend = new CpuBackend(1); Sequential model = new Sequential(backend).input(784)) {
            model.add(new Dense(64, "relu"));
            model.add(new Dense(32, "relu"));
            model.add(new Dense(10, "softmax"));
            model.compile("adam", "sparse_categorical_crossentropy");
            StringBuilder windows = new StringBuilder();
            int step = 0;
            for (int w = 0; w < MAX_WINDOWS; w++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < WINDOW; i++, step++) {
                    model.trainOnBatch(xs[step % batches], ys[step % batches]);
                }
                long perStep = (mx.getCurrentThreadAllocatedBytes() - before) / WINDOW;
                windows.append(perStep).append(' ');
                if (perStep < BOUND_PER_STEP) {
                    return;
                }
            }
            fail("no window of " + WINDOW + " steps allocated under " + BOUND_PER_STEP
                    + " bytes a step; bytes a step per window: " + windows);
        }
    }
}
