package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.BatchSource;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Tensor;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Sample weights and streamed batches add no allocation to a training step beyond the backend's kernels: a
 * weighted step allocates what an unweighted one does plus the two {@code binary} calls that scale the loss
 * and its gradient, and a step read from a {@link BatchSource} what a step from matrices does. Bytes a step
 * are the difference between a fit of 510 and one of 10 steps (steps_per_epoch keeps the rest equal), on the
 * training thread, after a warm-up.
 */
class TrainingStepAllocationTest {

    private static final int N = 4000;
    private static final int BATCH = 4;
    private static final double SLACK = 16;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** The bytes one fit step allocates, as a fit of 510 steps less a fit of 10, the least of a few tries. */
    private static double bytesPerStep(ReferenceBackend backend, Function<Integer, FitOptions> options,
            BatchSource source, FloatMatrix x, FloatMatrix y) {
        try (Sequential m = Sequential.of(backend, new Dense(16, "relu"), new Dense(3, "softmax"))) {
            m.input(8).compile(new Adam(1e-3f), Loss.of("sparse_categorical_crossentropy"), "accuracy");
            long[] least = {Long.MAX_VALUE, Long.MAX_VALUE};
            for (int round = 0; round < 8; round++) {
                for (int k = 0; k < 2; k++) {
                    FitOptions o = options.apply(k == 0 ? 10 : 510);
                    long before = allocated();
                    if (source != null) {
                        m.fit(source, o);
                    } else {
                        m.fit(x, y, o);
                    }
                    least[k] = Math.min(least[k], allocated() - before);
                }
            }
            return (least[1] - least[0]) / 500.0;
        }
    }

    private static FitOptions base(int steps) {
        return new FitOptions().epochs(1).batchSize(BATCH).stepsPerEpoch(steps).verbose(0);
    }

    @Test
    void weightsAndStreamedBatchesAllocateNothingBeyondTheKernels() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[N * 8];
        float[] y = new float[N];
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 8; j++) {
                x[i * 8 + j] = (float) r.nextGaussian();
            }
            y[i] = i % 3;
            w[i] = 0.5f + i % 4;
        }
        FloatMatrix xs = new FloatMatrix(N, 8, x);
        FloatMatrix ys = new FloatMatrix(N, 1, y);
        try (ReferenceBackend backend = new ReferenceBackend()) {
            double plain = bytesPerStep(backend, TrainingStepAllocationTest::base, null, xs, ys);
            double weighted = bytesPerStep(backend, s -> base(s).sampleWeight(w), null, xs, ys);
            double byClass = bytesPerStep(backend, s -> base(s).classWeight(java.util.Map.of(0, 2.0)), null, xs, ys);
            double streamed = bytesPerStep(backend, TrainingStepAllocationTest::base, BatchSource.of(xs, ys, w), null,
                    null);
            double scale = binaryBytes(backend);
            String figures = "bytes a step: unweighted " + plain + ", sample weights " + weighted + ", class weights "
                    + byClass + ", weighted source " + streamed + "; one binary call " + scale;
            System.out.println(figures);
            assertTrue(weighted <= plain + 2 * scale + SLACK, figures);
            assertTrue(byClass <= plain + 2 * scale + SLACK, figures);
            assertTrue(streamed <= weighted + SLACK, figures);
        }
    }

    /** What the backend allocates for one binary MUL by a column, as the weighted loss calls it. */
    private static double binaryBytes(ReferenceBackend backend) {
        try (Tensor t = backend.tensor(BATCH, 3); Tensor c = backend.tensor(BATCH, 1)) {
            float[] ones = new float[BATCH * 3];
            Arrays.fill(ones, 1f);
            t.copyFrom(ones);
            c.copyFrom(new float[] {1, 1, 1, 1});
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 8; round++) {
                long before = allocated();
                for (int i = 0; i < 1000; i++) {
                    backend.binary(BinaryOp.MUL, t, c, t);
                }
                least = Math.min(least, allocated() - before);
            }
            return least / 1000.0;
        }
    }
}
