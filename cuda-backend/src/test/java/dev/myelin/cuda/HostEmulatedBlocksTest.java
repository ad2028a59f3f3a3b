package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.KerasReference;
import dev.myelin.contract.NonFiniteContract;
import dev.myelin.contract.ReferenceMath;
import dev.myelin.spi.Axis;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.Tensor;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The kernels whose threads meet in shared memory (softmax, log-softmax, argmax, the reductions,
 * softmax cross-entropy, the row losses), run on the host with the block shapes the backend launches and every thread of a
 * block a concurrent host thread, so the trees and barriers run as written. Shapes are chosen
 * around the block size (256 threads, 32 x 8 for columns): one element, fewer columns than
 * threads, more, and a remainder. The conformance suite covers the formulas on many more shapes
 * with one-thread blocks (much faster on the host).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostEmulatedBlocksTest {

    private static final int[][] ROW_SHAPES = {{1, 1}, {5, 7}, {2, 257}, {3, 1000}};
    private CudaBackend backend;

    @BeforeAll
    void open() {
        Optional<HostEmulatedRuntime> runtime = HostEmulatedRuntime.concurrent();
        Assumptions.assumeTrue(runtime.isPresent(), HostEmulatedRuntime.unavailableReason());
        backend = new CudaBackend(runtime.get());
    }

    @AfterAll
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return x;
    }

    private static void assertClose(String what, float[] got, double[] ref, double tolerance) {
        double err = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            assertTrue(Float.isFinite(got[i]), what + ": element " + i + " is " + got[i]);
            err += (got[i] - ref[i]) * (got[i] - ref[i]);
            norm += ref[i] * ref[i];
        }
        assertTrue(Math.sqrt(err) <= tolerance * Math.sqrt(norm) + 1e-30, what + ": relative error "
                + Math.sqrt(err / norm));
    }

    @Test
    void softmaxRows() {
        for (int[] s : ROW_SHAPES) {
            float[] x = random(s[0] * 31L + s[1], s[0] * s[1]);
            Tensor in = backend.tensor(s[0], s[1], x);
            Tensor out = backend.tensor(s[0], s[1]);
            backend.softmax(in, out);
            assertClose("softmax " + s[0] + "x" + s[1], out.toArray(), ReferenceMath.softmax(ReferenceMath.toDouble(x),
                    s[0], s[1]), 1e-6);
        }
    }

    @Test
    void argmaxRowsPrefersTheFirstOfEqualMaxima() {
        int rows = 4;
        int cols = 700;
        float[] x = random(5, rows * cols);
        // Ties held by different threads (j mod 256) and by the same thread (j and j + 256).
        int[][] ties = {{3, 600}, {300, 44}, {10, 266}, {0, 699}};
        for (int i = 0; i < rows; i++) {
            x[i * cols + ties[i][0]] = 9f;
            x[i * cols + ties[i][1]] = 9f;
        }
        Tensor in = backend.tensor(rows, cols, x);
        Tensor out = backend.tensor(rows, 1);
        backend.argmax(in, out);
        assertArrayEquals(new float[] {3, 44, 10, 0}, out.toArray());
        for (int[] s : ROW_SHAPES) {
            float[] y = random(s[1], s[0] * s[1]);
            Tensor t = backend.tensor(s[0], s[1], y);
            Tensor o = backend.tensor(s[0], 1);
            backend.argmax(t, o);
            double[] ref = ReferenceMath.argmax(ReferenceMath.toDouble(y), s[0], s[1]);
            float[] got = o.toArray();
            for (int i = 0; i < s[0]; i++) {
                assertTrue(got[i] == ref[i], "argmax row " + i + " of " + s[0] + "x" + s[1] + ": " + got[i] + " vs " + ref[i]);
            }
        }
    }

    @Test
    void reductionsAlongEveryAxis() {
        int[][] shapes = {{1, 1}, {5, 7}, {3, 1000}, {300, 3}, {40, 70}};
        for (int[] s : shapes) {
            float[] x = random(s[0] * 7L + s[1], s[0] * s[1]);
            Tensor in = backend.tensor(s[0], s[1], x);
            for (Axis axis : Axis.values()) {
                if (axis == Axis.PER_ROW && s[0] > 40) {
                    continue;  // a block per row: 300 blocks of 256 host threads is slow and adds nothing
                }
                for (Reduction r : Reduction.values()) {
                    Tensor out = backend.tensor(axis.outputShape(in.shape()));
                    backend.reduce(r, axis, in, out);
                    assertClose(r + " " + axis + " " + s[0] + "x" + s[1], out.toArray(),
                            ReferenceMath.reduce(r, axis, ReferenceMath.toDouble(x), s[0], s[1]), 1e-6);
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropy() {
        for (int[] s : ROW_SHAPES) {
            float[] z = random(s[0] + 3L * s[1], s[0] * s[1]);
            float[] t = new float[z.length];
            for (int i = 0; i < s[0]; i++) {
                t[i * s[1] + (i * 7) % s[1]] = 1f;  // one-hot rows
            }
            for (boolean clip : new boolean[] {false, true}) {
                Tensor zt = backend.tensor(s[0], s[1], z);
                Tensor tt = backend.tensor(s[0], s[1], t);
                Tensor probs = backend.tensor(s[0], s[1]);
                Tensor loss = backend.tensor(s[0], s[1]);
                Tensor grad = backend.tensor(s[0], s[1]);
                backend.crossEntropyWithLogits(LogitsLoss.SOFTMAX, clip, 0.5f, zt, tt, probs, loss, grad);
                ReferenceMath.LogitsResult ref = ReferenceMath.crossEntropyWithLogits(LogitsLoss.SOFTMAX, clip, 0.5,
                        ReferenceMath.toDouble(z), ReferenceMath.toDouble(t), s[0], s[1]);
                String what = "softmax cross-entropy clip=" + clip + " " + s[0] + "x" + s[1];
                assertClose(what + " probs", probs.toArray(), ref.probs(), 1e-6);
                assertClose(what + " loss", loss.toArray(), ref.loss(), 1e-6);
                assertClose(what + " grad", grad.toArray(), ref.grad(), 1e-6);
            }
        }
    }

    @Test
    void logSoftmaxRows() {
        for (int[] s : ROW_SHAPES) {
            float[] x = random(s[0] * 17L + s[1], s[0] * s[1]);
            Tensor out = backend.tensor(s[0], s[1]);
            backend.logSoftmax(backend.tensor(s[0], s[1], x), out);
            assertClose("log_softmax " + s[0] + "x" + s[1], out.toArray(),
                    ReferenceMath.logSoftmax(ReferenceMath.toDouble(x), s[0], s[1]), 1e-6);
        }
    }

    @Test
    void rowLosses() {
        for (RowLoss kind : RowLoss.values()) {
            for (int[] s : ROW_SHAPES) {
                if (kind == RowLoss.COSINE_SIMILARITY && s[1] == 1) {
                    continue;  // a one-element row's cosine is +-1 whatever p is: its gradient is 0 up to rounding
                }
                float[] p = random(s[0] * 5L + s[1], s[0] * s[1]);
                float[] t = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    p[i] = kind == RowLoss.COSINE_SIMILARITY ? p[i] : 0.1f + Math.abs(p[i]);
                    t[i] = i % 3 == 0 ? 1f : 0f;
                }
                Tensor loss = backend.tensor(s[0], s[1]);
                Tensor grad = backend.tensor(s[0], s[1]);
                backend.rowLoss(kind, 0.5f, backend.tensor(s[0], s[1], p), backend.tensor(s[0], s[1], t), loss, grad);
                ReferenceMath.LossAndGradient ref = KerasReference.rowLoss(kind, 0.5, ReferenceMath.toDouble(p),
                        ReferenceMath.toDouble(t), s[0], s[1]);
                String what = kind + " " + s[0] + "x" + s[1];
                assertClose(what + " loss", loss.toArray(), ref.loss(), 1e-5);
                assertClose(what + " grad", grad.toArray(), ref.grad(), 1e-5);
            }
        }
    }

    /**
     * The NaN rule through the shared-memory trees: a NaN or infinity held by any thread of a block must
     * reach the row's result (max, min, argmax's first NaN, softmax's row maximum), as on a device.
     */
    @Test
    void nonFiniteValuesCrossTheTrees() {
        NonFiniteContract checks = () -> backend;
        checks.argmaxIsTheFirstNaNOfARow();
        checks.softmaxRowWithNaNOrPlusInfIsNaNAndMinusInfGetsZero();
        for (Reduction r : Reduction.values()) {
            checks.reductionLetsNaNWinMaxAndMinAndAddsAsIeee(r);
        }
        for (boolean clip : new boolean[] {false, true}) {
            checks.softmaxCrossEntropyIsNaNForANaNRowNotClipped(clip);
        }
    }
}
