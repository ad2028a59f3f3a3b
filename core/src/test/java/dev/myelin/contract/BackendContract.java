package dev.myelin.contract;

import static dev.myelin.contract.Accuracy.EXACT;
import static dev.myelin.contract.Accuracy.ROUNDING;
import static dev.myelin.contract.Accuracy.TRANSCENDENTAL;
import static dev.myelin.contract.Accuracy.assertEachMatches;
import static dev.myelin.contract.Accuracy.assertMatches;
import static dev.myelin.contract.ReferenceMath.toDouble;
import static dev.myelin.contract.ReferenceMath.toFloat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Scope;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance suite every backend passes: each {@link Backend} operation against the float64
 * {@link ReferenceMath} on seeded random data, at awkward shapes and extreme inputs, with every output
 * poisoned with NaN first, in-place where the SPI allows it, plus memory, lifecycle and argument errors.
 * Every enum of the SPI is enumerated, so a new activation, loss or rule cannot escape the checks.
 *
 * <p>What it checks, and how:
 * <ul>
 * <li>Accuracy: {@code ||out - ref|| / ||ref||} against a float64 reference computed from the same float32
 *     inputs (see {@link Accuracy}): bit-exact for copies, comparisons and single IEEE operations, 3e-7 for
 *     a few roundings, 1e-6 through exp/log/tanh/sqrt, {@code 1e-6 max(4, sqrt(k))} for GEMM, growing like
 *     {@code sqrt(n)} for sums. Where a float32 formula must cancel terms (GEMM and sums of random signs,
 *     {@code 1 - y^2}, {@code ln(1 - q)}, {@code p - t}) the error is measured against the size of the terms.</li>
 * <li>Shapes: 1x1, 1xN, Nx1, 7, 33, 127, one dimension past 1000 at a time, and a [257 x 515] tensor;
 *     GEMM with every transpose, alpha/beta away from 0 and 1, beta = 0 on a NaN C, k = 1 and k = 4099.</li>
 * <li>Extreme inputs (+-1e4, +-100, +-88, +-20, +-0): each element must be finite exactly where the float64
 *     result rounded to float32 is, and close to it.</li>
 * <li>Random streams: UNIFORM bit-identical to {@link dev.myelin.spi.CounterRandom}, NORMAL within float
 *     rounding, moments of 100k samples, dropout masks (ties included) and their 1/(1 - rate) scale.</li>
 * <li>Optimizers: four steps of every rule, each compared from the backend's own state, with ordinary
 *     gradients and l1/l2 != 0 (w = 0 included) and with gradients of 1e-8, where epsilon's place shows.</li>
 * <li>Inputs unmodified; ordering of uploads, fills and kernels with no read in between; use from a
 *     second thread; 10,000 allocate/close cycles; nested scopes and keep(); a second instance's
 *     tensors, closed tensors and null in every argument of every op; short host arrays; a closed backend.</li>
 * </ul>
 * The checks of the rule for NaN and infinities are in {@link NonFiniteContract}, which this class implements.
 * {@link ConformanceSuiteSelfTest} shows the checks fail on deliberately defective backends.
 *
 * <p>A backend module runs it by extending this class:
 *
 * <pre>{@code
 * class CpuBackendConformanceTest extends BackendContract {
 *     @Override
 *     protected Backend createBackend() {
 *         return new CpuBackend();
 *     }
 * }
 * }</pre>
 *
 * One backend is opened for the whole class and closed after it; a few checks open a second one.
 * A backend that cannot run here should skip from {@code createBackend()} with
 * {@code Assumptions.assumeTrue(false, reason)}.
 */
public abstract class BackendContract extends BackendFixture implements NonFiniteContract,
        NormalizationContract {

    @Override
    public final Backend backendUnderTest() {
        return backend;
    }

    // ---------------------------------------------------------------- helpers

    private static void assertUnchanged(String what, Tensor t, float[] before) {
        float[] now = t.toArray();
        if (!Arrays.equals(now, before)) {
            int i = Arrays.mismatch(now, before);
            fail(what + ": input " + t.shape() + " was modified at element " + i + ": " + before[i] + " -> " + now[i]);
        }
    }

    private static String at(String op, Shape s) {
        return op + " at " + s;
    }

    // ---------------------------------------------------------------- gemm

    static Stream<Arguments> gemmCases() {
        int[][] mnk = {{1, 1, 1}, {1, 1, 7}, {1, 7, 1}, {7, 1, 1}, {7, 7, 1}, {1, 33, 7}, {33, 1, 7}, {7, 33, 127},
                {127, 7, 33}, {33, 127, 7}, {64, 64, 64}, {97, 131, 259}, {1031, 7, 33}, {7, 1031, 33}, {7, 7, 1031},
                {513, 3, 17}, {3, 513, 17}, {1, 1, 4099}};
        List<Arguments> cases = new ArrayList<>();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int[] s : mnk) {
                    cases.add(Arguments.of(ta, tb, s[0], s[1], s[2]));
                }
            }
        }
        return cases.stream();
    }

    /**
     * GEMM error: {@code ||C - ref|| / ||ref||} with {@code rtol = 1e-6 max(4, sqrt(k))}. The
     * denominator never goes below a quarter of {@code ||alpha |A||B| + beta |C| || / sqrt(k)}, what
     * random signs give, so a tiny output whose terms happened to cancel does not fail a correct backend.
     */
    private static void assertGemm(String what, float[] out, double[] ref, double[] refAbs, int k) {
        double refNorm = 0;
        double absNorm = 0;
        for (int i = 0; i < ref.length; i++) {
            refNorm += ref[i] * ref[i];
            absNorm += refAbs[i] * refAbs[i];
        }
        double floor = Math.sqrt(absNorm) / (4 * Math.sqrt(k));
        double factor = Math.max(1, floor / Math.sqrt(refNorm));
        double[] scale = ref.clone();
        for (int i = 0; i < scale.length; i++) {
            scale[i] *= factor;
        }
        assertMatches(what, out, ref, scale, 1e-6 * Math.max(4, Math.sqrt(k)));
    }

    @ParameterizedTest(name = "gemm transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("gemmCases")
    void gemmMatchesReference(boolean transA, boolean transB, int m, int n, int k) {
        Shape as = transA ? Shape.of(k, m) : Shape.of(m, k);
        Shape bs = transB ? Shape.of(n, k) : Shape.of(k, n);
        Shape cs = Shape.of(m, n);
        long seed = m * 1_000_003L + n * 1009L + k + (transA ? 7 : 0) + (transB ? 13 : 0);
        float[] av = TestData.uniform(seed, as.size(), -1, 1);
        float[] bv = TestData.uniform(seed + 1, bs.size(), -1, 1);
        float[] cv = TestData.uniform(seed + 2, cs.size(), -1, 1);
        Tensor a = upload(as, av);
        Tensor b = upload(bs, bv);
        String what = String.format(Locale.ROOT, "gemm(transA=%s, transB=%s) a %s b %s", transA, transB, as, bs);
        // beta == 0 must not read C: it starts as NaN. Then alpha/beta away from 0 and 1, then accumulate.
        float[][] alphaBeta = {{1f, 0f}, {1.25f, -0.75f}, {1f, 1f}, {-0.5f, 0f}};
        for (float[] ab : alphaBeta) {
            float alpha = ab[0];
            float beta = ab[1];
            Tensor c = upload(cs, beta == 0 ? TestData.nan(cs.size()) : cv);
            backend.gemm(transA, transB, alpha, a, b, beta, c);
            double[] ref = ReferenceMath.gemm(transA, transB, alpha, toDouble(av), as.rows(), as.cols(), toDouble(bv),
                    bs.rows(), bs.cols(), beta, toDouble(cv));
            double[] refAbs = ReferenceMath.gemm(transA, transB, Math.abs(alpha), TestData.abs(toDouble(av)), as.rows(),
                    as.cols(), TestData.abs(toDouble(bv)), bs.rows(), bs.cols(), Math.abs(beta), TestData.abs(toDouble(cv)));
            assertGemm(what + " alpha=" + alpha + " beta=" + beta, c.toArray(), ref, refAbs, k);
            c.close();
        }
        assertUnchanged(what + ": a", a, av);
        assertUnchanged(what + ": b", b, bv);
    }

    @Test
    void gemmChainsWithoutWaiting() {
        // Several dependent GEMMs enqueued back to back; only the final read waits.
        Shape s = Shape.of(33, 33);
        float[] xv = TestData.uniform(11, s.size(), -1, 1);
        float[] wv = TestData.uniform(12, s.size(), -0.2f, 0.2f);
        Tensor x = upload(s, xv);
        Tensor w = upload(s, wv);
        Tensor y1 = poisoned(s);
        Tensor y2 = poisoned(s);
        Tensor y3 = poisoned(s);
        backend.gemm(false, false, 1f, x, w, 0f, y1);
        backend.gemm(false, true, 1f, y1, w, 0f, y2);
        backend.gemm(true, false, 1f, y2, w, 0f, y3);
        double[] r1 = ReferenceMath.gemm(false, false, 1, toDouble(xv), 33, 33, toDouble(wv), 33, 33, 0, null);
        double[] r2 = ReferenceMath.gemm(false, true, 1, r1, 33, 33, toDouble(wv), 33, 33, 0, null);
        double[] r3 = ReferenceMath.gemm(true, false, 1, r2, 33, 33, toDouble(wv), 33, 33, 0, null);
        assertMatches("gemm chain of three", y3.toArray(), r3, 1e-5);
    }

    // ---------------------------------------------------------------- activations

    /** The alpha each activation is checked with: a non-default one where it matters, else one to be ignored. */
    private static float alphaFor(Activation f) {
        return switch (f) {
            case LEAKY_RELU -> 0.3f;
            case ELU -> 0.7f;
            default -> 0.55f;
        };
    }

    private static double forwardTolerance(Activation f) {
        return switch (f) {
            case LINEAR, STEP, RELU -> EXACT;
            case LEAKY_RELU, SOFTSIGN -> ROUNDING;
            default -> TRANSCENDENTAL;
        };
    }

    private static double backwardTolerance(Activation f) {
        return switch (f) {
            case LINEAR, STEP, RELU -> EXACT;
            case SIGMOID, TANH, SOFTPLUS -> TRANSCENDENTAL;
            default -> ROUNDING;
        };
    }

    /**
     * The size of the terms of {@code f(x)} where a float32 formula has to cancel them: ELU and SELU
     * compute {@code alpha e^x - alpha}, softplus {@code 1 + e^x}. Elsewhere the result itself.
     */
    private static double[] forwardScale(Activation f, float alpha, float[] x, double[] ref) {
        double[] s = TestData.abs(ref);
        for (int i = 0; i < x.length; i++) {
            if (x[i] <= 0 && (f == Activation.ELU || f == Activation.SELU)) {
                double a = f == Activation.ELU ? alpha : Activation.SELU_SCALE * Activation.SELU_ALPHA;
                s[i] = a * (Math.exp(x[i]) + 1);
            } else if (f == Activation.SOFTPLUS) {
                s[i] += 1;
            }
        }
        return s;
    }

    /** Likewise for {@code dy f'(y)}: {@code 1 - y^2}, {@code 1 - e^-y}, {@code y + alpha} cancel. */
    private static double[] backwardScale(Activation f, float alpha, float[] y, float[] dy, double[] ref) {
        double[] s = TestData.abs(ref);
        for (int i = 0; i < y.length; i++) {
            double terms = switch (f) {
                case TANH -> 1 + (double) y[i] * y[i];
                case SOFTPLUS -> 1 + Math.exp(-y[i]);
                case ELU -> y[i] > 0 ? 1 : Math.abs(y[i]) + alpha;
                case SELU -> y[i] > 0 ? Activation.SELU_SCALE
                        : Math.abs(y[i]) + Activation.SELU_SCALE * Activation.SELU_ALPHA;
                default -> 0;
            };
            s[i] = Math.max(s[i], Math.abs(dy[i]) * terms);
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationMatchesReference(Activation f) {
        float alpha = alphaFor(f);
        for (Shape s : TestData.SHAPES) {
            float[] xv = TestData.uniform(TestData.seed(f.name(), s), s.size(), -4, 4);
            Tensor x = upload(s, xv);
            Tensor y = poisoned(s);
            backend.activation(f, alpha, x, y);
            double[] ref = ReferenceMath.activation(f, alpha, toDouble(xv));
            double[] scale = forwardScale(f, alpha, xv, ref);
            assertMatches(at("activation " + f, s), y.toArray(), ref, scale, forwardTolerance(f));
            assertUnchanged(at("activation " + f, s), x, xv);
            // In place: y is x.
            backend.activation(f, alpha, x, x);
            assertMatches(at("activation " + f + " in place", s), x.toArray(), ref, scale, forwardTolerance(f));
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationBackwardMatchesReference(Activation f) {
        Assumptions.assumeTrue(f.derivableFromOutput(), f + " has no derivative from its output (KerasActivationContract)");
        float alpha = alphaFor(f);
        for (Shape s : TestData.SHAPES) {
            long seed = TestData.seed("backward " + f.name(), s);
            float[] yv = toFloat(ReferenceMath.activation(f, alpha, toDouble(TestData.uniform(seed, s.size(), -4, 4))));
            float[] dyv = TestData.uniform(seed + 1, s.size(), -2, 2);
            double[] ref = ReferenceMath.activationBackward(f, alpha, toDouble(yv), toDouble(dyv));
            double[] scale = backwardScale(f, alpha, yv, dyv, ref);
            Tensor y = upload(s, yv);
            Tensor dy = upload(s, dyv);
            Tensor dx = poisoned(s);
            backend.activationBackward(f, alpha, y, dy, dx);
            assertMatches(at("activationBackward " + f, s), dx.toArray(), ref, scale, backwardTolerance(f));
            assertUnchanged(at("activationBackward " + f + ": y", s), y, yv);
            assertUnchanged(at("activationBackward " + f + ": dy", s), dy, dyv);
            // In place: dx is dy, then dx is y.
            backend.activationBackward(f, alpha, y, dy, dy);
            assertMatches(at("activationBackward " + f + " with dx == dy", s), dy.toArray(), ref, scale,
                    backwardTolerance(f));
            dy.copyFrom(dyv);
            backend.activationBackward(f, alpha, y, dy, y);
            assertMatches(at("activationBackward " + f + " with dx == y", s), y.toArray(), ref, scale,
                    backwardTolerance(f));
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationAtExtremeInputs(Activation f) {
        float alpha = alphaFor(f);
        for (Shape s : new Shape[] {Shape.of(1, TestData.EXTREMES.length), Shape.of(TestData.EXTREMES.length, 1),
                Shape.of(3, 4 * TestData.EXTREMES.length)}) {
            float[] xv = new float[s.size()];
            for (int i = 0; i < xv.length; i++) {
                xv[i] = TestData.EXTREMES[i % TestData.EXTREMES.length];
            }
            Tensor x = upload(s, xv);
            Tensor y = poisoned(s);
            backend.activation(f, alpha, x, y);
            double[] ref = ReferenceMath.activation(f, alpha, toDouble(xv));
            assertEachMatches(at("activation " + f + " of +-1e4, +-100, +-88, +-20, +-0", s), y.toArray(), ref,
                    forwardScale(f, alpha, xv, ref), TRANSCENDENTAL);

            if (!f.derivableFromOutput()) {
                continue;
            }
            float[] yv = toFloat(ref);
            float[] dyv = TestData.uniform(TestData.seed("extreme " + f, s), s.size(), -2, 2);
            Tensor yr = upload(s, yv);
            Tensor dy = upload(s, dyv);
            Tensor dx = poisoned(s);
            backend.activationBackward(f, alpha, yr, dy, dx);
            double[] dref = ReferenceMath.activationBackward(f, alpha, toDouble(yv), toDouble(dyv));
            assertEachMatches(at("activationBackward " + f + " at the outputs of +-1e4, +-100, +-88, +-20, +-0", s),
                    dx.toArray(), dref, backwardScale(f, alpha, yv, dyv, dref), TRANSCENDENTAL);
        }
    }

    // ---------------------------------------------------------------- softmax

    @Test
    void softmaxMatchesReference() {
        for (Shape s : TestData.SHAPES) {
            float[] xv = TestData.uniform(TestData.seed("softmax", s), s.size(), -6, 6);
            Tensor x = upload(s, xv);
            Tensor y = poisoned(s);
            backend.softmax(x, y);
            double[] ref = ReferenceMath.softmax(toDouble(xv), s.rows(), s.cols());
            assertMatches(at("softmax", s), y.toArray(), ref, TRANSCENDENTAL);
            assertUnchanged(at("softmax", s), x, xv);
            backend.softmax(x, x);
            assertMatches(at("softmax in place", s), x.toArray(), ref, TRANSCENDENTAL);
        }
    }

    @Test
    void softmaxAtExtremeInputs() {
        float[][] rows = {
            {1e4f, -1e4f, 0f, 1f},
            {1e4f, 1e4f, 1e4f, 1e4f},
            {-1e4f, -1e4f, -1e4f, -1e4f},
            {-1e4f, -1e4f, -1e4f, 3f},
            {88f, 100f, -88f, -100f},
            {100f, 99f, 88f, 1e4f},
        };
        int cols = rows[0].length;
        Shape s = Shape.of(rows.length, cols);
        float[] xv = new float[s.size()];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, xv, i * cols, cols);
        }
        Tensor x = upload(s, xv);
        Tensor y = poisoned(s);
        backend.softmax(x, y);
        double[] ref = ReferenceMath.softmax(toDouble(xv), s.rows(), s.cols());
        assertEachMatches("softmax of rows holding +-1e4, +-100, +-88", y.toArray(), ref, TestData.abs(ref), TRANSCENDENTAL);
        // One long row: the maximum must be found across every vector lane and thread.
        Shape wide = Shape.of(2, 1031);
        float[] wv = TestData.uniform(5, wide.size(), -50, 50);
        wv[1030] = 1e4f;
        wv[1031 + 517] = -1e4f;
        Tensor w = upload(wide, wv);
        Tensor wy = poisoned(wide);
        backend.softmax(w, wy);
        double[] wref = ReferenceMath.softmax(toDouble(wv), wide.rows(), wide.cols());
        assertEachMatches("softmax of a [2 x 1031] holding +-1e4", wy.toArray(), wref, TestData.abs(wref), TRANSCENDENTAL);
    }

    // ---------------------------------------------------------------- reductions

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void reduceMatchesReference(Reduction r) {
        for (Axis axis : Axis.values()) {
            for (Shape s : TestData.SHAPES) {
                float[] xv = TestData.uniform(TestData.seed(r + " " + axis, s), s.size(), -1, 1);
                Shape os = axis.outputShape(s);
                Tensor x = upload(s, xv);
                Tensor out = poisoned(os);
                backend.reduce(r, axis, x, out);
                double[] ref = ReferenceMath.reduce(r, axis, toDouble(xv), s.rows(), s.cols());
                String what = at("reduce " + r + " " + axis, s);
                int count = s.size() / os.size();
                switch (r) {
                    case MAX, MIN -> assertMatches(what, out.toArray(), ref, EXACT);
                    case SUM, MEAN -> {
                        // Relative to the sum of |x| where the signed sum happened to cancel.
                        double[] refAbs = ReferenceMath.reduce(r == Reduction.SUM ? Reduction.SUM_ABS : r, axis,
                                TestData.abs(toDouble(xv)), s.rows(), s.cols());
                        double[] scale = new double[ref.length];
                        for (int i = 0; i < ref.length; i++) {
                            scale[i] = Math.max(Math.abs(ref[i]), refAbs[i] / (4 * Math.sqrt(count)));
                        }
                        assertMatches(what, out.toArray(), ref, scale, Accuracy.sum(count));
                    }
                    case SUM_ABS, SUM_SQUARES -> assertMatches(what, out.toArray(), ref, Accuracy.sum(count));
                }
                assertUnchanged(what, x, xv);
            }
        }
    }

    @Test
    void reduceAtExtremeInputs() {
        Shape s = Shape.of(3, TestData.EXTREMES.length);
        float[] xv = new float[s.size()];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = TestData.EXTREMES[(i * 5) % TestData.EXTREMES.length];
        }
        Tensor x = upload(s, xv);
        for (Reduction r : Reduction.values()) {
            for (Axis axis : Axis.values()) {
                Tensor out = poisoned(axis.outputShape(s));
                backend.reduce(r, axis, x, out);
                double[] ref = ReferenceMath.reduce(r, axis, toDouble(xv), s.rows(), s.cols());
                assertEachMatches("reduce " + r + " " + axis + " of +-1e4, +-100, +-88", out.toArray(), ref,
                        TestData.abs(ref), TRANSCENDENTAL);
            }
        }
    }

    @Test
    void argmaxMatchesReference() {
        for (Shape s : TestData.SHAPES) {
            float[] xv = TestData.uniform(TestData.seed("argmax", s), s.size(), -1, 1);
            SplittableRandom rnd = new SplittableRandom(s.size());
            for (int i = 0; i < s.rows(); i++) {
                if (s.cols() > 1 && i % 3 == 0) {
                    // A tie: the largest value twice in the row; the first index wins.
                    int a = rnd.nextInt(s.cols() - 1);
                    int b = a + 1 + rnd.nextInt(s.cols() - 1 - a);
                    xv[i * s.cols() + a] = 2f;
                    xv[i * s.cols() + b] = 2f;
                } else if (i % 3 == 1) {
                    xv[i * s.cols() + rnd.nextInt(s.cols())] = -1e4f;
                }
            }
            Tensor x = upload(s, xv);
            Tensor out = poisoned(Shape.of(s.rows(), 1));
            backend.argmax(x, out);
            assertMatches(at("argmax", s), out.toArray(), ReferenceMath.argmax(toDouble(xv), s.rows(), s.cols()), EXACT);
            assertUnchanged(at("argmax", s), x, xv);
        }
        Shape flat = Shape.of(4, 9);
        float[] same = new float[flat.size()];
        Arrays.fill(same, -3.5f);
        Tensor x = upload(flat, same);
        Tensor out = poisoned(Shape.of(4, 1));
        backend.argmax(x, out);
        assertArrayEquals(new float[] {0, 0, 0, 0}, out.toArray(), "argmax of rows of equal values is the first index");
    }

    // ---------------------------------------------------------------- element-wise

    /** The shapes {@code b} may take with {@code a} of shape {@code s}: same, row, column, scalar. */
    private static List<Shape> broadcastShapes(Shape s) {
        Set<Shape> shapes = new LinkedHashSet<>(List.of(s, Shape.of(1, s.cols()), Shape.of(s.rows(), 1), Shape.of(1, 1)));
        return List.copyOf(shapes);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesReference(BinaryOp op) {
        double tol = op == BinaryOp.DIV ? ROUNDING : EXACT;
        for (Shape s : TestData.SHAPES) {
            for (Shape bs : broadcastShapes(s)) {
                long seed = TestData.seed(op + " " + bs, s);
                float[] av = TestData.uniform(seed, s.size(), -2, 2);
                float[] bv = op == BinaryOp.DIV ? TestData.magnitudes(seed + 1, bs.size(), 0.25f, 2)
                        : TestData.uniform(seed + 1, bs.size(), -2, 2);
                // Make a quarter of the pairs equal, so EQUAL, GREATER, MAX and MIN meet ties.
                for (int i = 0; i < s.rows(); i++) {
                    for (int j = 0; j < s.cols(); j++) {
                        if ((i * s.cols() + j) % 4 == 0) {
                            av[i * s.cols() + j] = bv[(bs.rows() == 1 ? 0 : i) * bs.cols() + (bs.cols() == 1 ? 0 : j)];
                        }
                    }
                }
                double[] ref = ReferenceMath.binary(op, toDouble(av), s.rows(), s.cols(), toDouble(bv), bs.rows(), bs.cols());
                String what = "binary " + op + " of a " + s + " and b " + bs;
                Tensor a = upload(s, av);
                Tensor b = upload(bs, bv);
                Tensor out = poisoned(s);
                backend.binary(op, a, b, out);
                assertMatches(what, out.toArray(), ref, tol);
                assertUnchanged(what + ": a", a, av);
                assertUnchanged(what + ": b", b, bv);
                backend.binary(op, a, b, a);
                assertMatches(what + " with out == a", a.toArray(), ref, tol);
                if (bs.equals(s)) {
                    a.copyFrom(av);
                    backend.binary(op, a, b, b);
                    assertMatches(what + " with out == b", b.toArray(), ref, tol);
                }
            }
        }
    }

    @Test
    void axpbyMatchesReference() {
        float[][] alphaBeta = {{1.5f, -0.25f}, {1f, 1f}, {-0.75f, 0f}, {0f, 2f}};
        for (Shape s : TestData.SHAPES) {
            float[] xv = TestData.uniform(TestData.seed("axpby x", s), s.size(), -2, 2);
            float[] yv = TestData.uniform(TestData.seed("axpby y", s), s.size(), -2, 2);
            Tensor x = upload(s, xv);
            for (float[] ab : alphaBeta) {
                float alpha = ab[0];
                float beta = ab[1];
                String what = at("axpby alpha=" + alpha + " beta=" + beta, s);
                // beta == 0 must not read y: it starts as NaN.
                Tensor y = upload(s, beta == 0 ? TestData.nan(s.size()) : yv);
                backend.axpby(alpha, x, beta, y);
                double[] ref = ReferenceMath.axpby(alpha, toDouble(xv), beta, toDouble(yv));
                double[] scale = ReferenceMath.axpby(Math.abs(alpha), TestData.abs(toDouble(xv)), Math.abs(beta),
                        TestData.abs(toDouble(yv)));
                assertMatches(what, y.toArray(), ref, scale, ROUNDING);
                assertUnchanged(what, x, xv);
                y.close();
            }
            // x and y the same tensor: y = (alpha + beta) y.
            Tensor y = upload(s, yv);
            backend.axpby(1.5f, y, -0.25f, y);
            assertMatches(at("axpby with x == y", s), y.toArray(), ReferenceMath.axpby(1.5, toDouble(yv), -0.25,
                    toDouble(yv)), ROUNDING);
        }
    }

    @Test
    void fillWritesEveryElement() {
        for (Shape s : TestData.SHAPES) {
            for (float v : new float[] {0f, -2.5f, 3.4e38f}) {
                Tensor t = poisoned(s);
                backend.fill(t, v);
                float[] expected = new float[s.size()];
                Arrays.fill(expected, v);
                assertArrayEquals(expected, t.toArray(), at("fill " + v, s));
                t.close();
            }
        }
    }

    @Test
    void uploadAndDownloadRoundTripExactly() {
        for (Shape s : TestData.SHAPES) {
            float[] v = TestData.uniform(TestData.seed("copy", s), s.size(), -1e30f, 1e30f);
            v[0] = Float.NaN;
            v[v.length - 1] = Float.NEGATIVE_INFINITY;
            Tensor t = upload(s, v);
            assertArrayEquals(v, t.toArray(), at("upload then download", s));
            // With offsets on both sides.
            float[] src = new float[s.size() + 5];
            System.arraycopy(v, 0, src, 3, s.size());
            t.copyFrom(TestData.nan(s.size()));
            t.copyFrom(src, 3);
            float[] dst = new float[s.size() + 9];
            t.copyTo(dst, 7);
            assertArrayEquals(v, Arrays.copyOfRange(dst, 7, 7 + s.size()), at("copyFrom/copyTo with offsets", s));
            assertEquals(0f, dst[6], "copyTo wrote before its offset");
            assertEquals(0f, dst[7 + s.size()], "copyTo wrote past its range");
        }
    }

    // ---------------------------------------------------------------- random

    @ParameterizedTest
    @ValueSource(longs = {0L, 42L, -1L, Long.MIN_VALUE, 0x5DEECE66DL})
    void randomFillUniformIsCounterRandomBitForBit(long seed) {
        for (Shape s : TestData.SHAPES) {
            Tensor t = poisoned(s);
            backend.randomFill(t, Distribution.UNIFORM, 0f, 1f, seed);
            float[] out = t.toArray();
            for (int i = 0; i < out.length; i++) {
                if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(CounterRandom.uniform(seed, i))) {
                    fail(at("randomFill UNIFORM [0, 1) seed " + seed, s) + ": element " + i + " is " + out[i]
                            + ", CounterRandom.uniform gives " + CounterRandom.uniform(seed, i));
                }
            }
            t.close();
        }
    }

    @Test
    void randomFillMatchesReferenceOnAnyRange() {
        for (Shape s : TestData.SHAPES) {
            long seed = TestData.seed("randomFill", s);
            Tensor u = poisoned(s);
            backend.randomFill(u, Distribution.UNIFORM, -3f, 5f, seed);
            float[] uv = u.toArray();
            assertMatches(at("randomFill UNIFORM [-3, 5)", s), uv,
                    ReferenceMath.randomFill(Distribution.UNIFORM, -3, 5, seed, s.size()), ROUNDING);
            for (float v : uv) {
                assertTrue(v >= -3f && v <= 5f, at("randomFill UNIFORM [-3, 5)", s) + " gave " + v);
            }
            Tensor n = poisoned(s);
            backend.randomFill(n, Distribution.NORMAL, 2f, 3f, seed);
            double[] ref = ReferenceMath.randomFill(Distribution.NORMAL, 2, 3, seed, s.size());
            float[] nv = n.toArray();
            // Within float rounding of ln, sqrt and cos: 1e-6 over the tensor, and each element within
            // what a float32 cos(2 pi u) near a zero crossing can be off (about 4e-7 times the radius <= 5.8).
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i], nv[i], 3 * 1e-5 + 1e-6 * Math.abs(ref[i]),
                        at("randomFill NORMAL(2, 3)", s) + " element " + i);
            }
            assertMatches(at("randomFill NORMAL(2, 3)", s), nv, ref, TRANSCENDENTAL);
        }
    }

    @Test
    void randomFillElementDependsOnlyOnSeedAndIndex() {
        long seed = 1234;
        Tensor wide = poisoned(Shape.of(1, 1031));
        Tensor tall = poisoned(Shape.of(1031, 1));
        Tensor block = poisoned(Shape.of(7, 147));
        for (Distribution d : Distribution.values()) {
            backend.randomFill(wide, d, 0f, 1f, seed);
            backend.randomFill(tall, d, 0f, 1f, seed);
            backend.randomFill(block, d, 0f, 1f, seed);
            float[] w = wide.toArray();
            assertArrayEquals(w, tall.toArray(), d + ": a [1 x 1031] and a [1031 x 1] must hold the same values");
            assertArrayEquals(Arrays.copyOf(w, 7 * 147), block.toArray(), d + ": a [7 x 147] must hold the first 1029 values");
            backend.randomFill(tall, d, 0f, 1f, seed + 1);
            assertFalse(Arrays.equals(w, tall.toArray()), d + ": seeds " + seed + " and " + (seed + 1) + " gave the same values");
        }
    }

    @Test
    void randomFillStatisticsOn100kSamples() {
        Shape s = Shape.of(100, 1000);
        Tensor t = poisoned(s);
        backend.randomFill(t, Distribution.UNIFORM, -1f, 3f, 77);
        double[] m = moments(t.toArray());
        // Uniform on [-1, 3): mean 1, standard deviation 4/sqrt(12); 5 standard errors of slack.
        assertEquals(1.0, m[0], 5 * 4 / Math.sqrt(12) / Math.sqrt(s.size()), "randomFill UNIFORM [-1, 3) mean");
        assertEquals(4 / Math.sqrt(12), m[1], 0.01, "randomFill UNIFORM [-1, 3) standard deviation");
        backend.randomFill(t, Distribution.NORMAL, -2f, 0.5f, 78);
        m = moments(t.toArray());
        assertEquals(-2.0, m[0], 5 * 0.5 / Math.sqrt(s.size()), "randomFill NORMAL(-2, 0.5) mean");
        assertEquals(0.5, m[1], 0.005, "randomFill NORMAL(-2, 0.5) standard deviation");
        backend.randomFill(t, Distribution.NORMAL, 1.5f, 0f, 79);
        float[] constant = new float[s.size()];
        Arrays.fill(constant, 1.5f);
        assertArrayEquals(constant, t.toArray(), "randomFill NORMAL with standard deviation 0 is the mean");
    }

    private static double[] moments(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double sq = 0;
        for (float x : v) {
            sq += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(sq / v.length)};
    }

    @Test
    void dropoutKeepsAnElementWhoseUniformEqualsTheRate() {
        // uniform(seed, i) >= rate keeps: take the rate from element 3's own uniform so the tie happens.
        long seed = 2024;
        float rate = CounterRandom.uniform(seed, 3);
        Shape s = Shape.of(1, 7);
        float[] xv = TestData.uniform(9, s.size(), 1, 2);
        Tensor x = upload(s, xv);
        Tensor y = poisoned(s);
        backend.dropout(rate, seed, x, y);
        float[] yv = y.toArray();
        assertTrue(yv[3] != 0f, "dropout with rate " + rate + " == uniform(seed, 3) must keep element 3, got " + yv[3]);
        assertMatches("dropout at a tie", yv, ReferenceMath.dropout(rate, seed, toDouble(xv)), ROUNDING);
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, 0.1f, 0.5f, 0.9f})
    void dropoutMaskIsCounterRandomAndScalesKept(float rate) {
        for (Shape s : TestData.SHAPES) {
            long seed = TestData.seed("dropout " + rate, s);
            float[] xv = TestData.uniform(seed, s.size(), -3, 3);
            Tensor x = upload(s, xv);
            Tensor y = poisoned(s);
            backend.dropout(rate, seed, x, y);
            float[] yv = y.toArray();
            String what = at("dropout rate=" + rate + " seed=" + seed, s);
            for (int i = 0; i < yv.length; i++) {
                boolean keep = ReferenceMath.dropoutKeeps(rate, seed, i);
                if (keep != (yv[i] != 0f)) {
                    fail(what + ": element " + i + (keep ? " must be kept" : " must be dropped") + " (uniform "
                            + CounterRandom.uniform(seed, i) + "), got " + yv[i] + " from " + xv[i]);
                }
            }
            double[] ref = ReferenceMath.dropout(rate, seed, toDouble(xv));
            assertMatches(what, yv, ref, rate == 0 ? EXACT : ROUNDING);
            assertUnchanged(what, x, xv);
            backend.dropout(rate, seed, x, x);
            assertMatches(what + " in place", x.toArray(), ref, rate == 0 ? EXACT : ROUNDING);
        }
    }

    // ---------------------------------------------------------------- losses

    /** Predictions and targets in each loss's domain, with points on both sides of every kink and clip. */
    private static float[][] lossInputs(ElementLoss kind, long seed, int n) {
        return switch (kind) {
            case HINGE, SQUARED_HINGE -> new float[][] {TestData.uniform(seed, n, -2.5f, 2.5f),
                TestData.choices(seed + 1, n, -1f, 1f)};
            case BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY, KL_DIVERGENCE, BINARY_FOCAL_CROSSENTROPY,
                    BINARY_FOCAL_CROSSENTROPY_BALANCED -> {
                float[] p = TestData.uniform(seed, n, 0.001f, 0.999f);
                // Some predictions outside [EPS, 1 - EPS]: clipped, zero gradient.
                for (int i = 5; i < n; i += 11) {
                    p[i] = i % 2 == 0 ? 1.25f : -0.5f;
                }
                yield new float[][] {p, TestData.uniform(seed + 1, n, 0f, 1f)};
            }
            case MSLE -> {
                float[] p = TestData.uniform(seed, n, 0f, 4f);
                for (int i = 3; i < n; i += 7) {
                    p[i] = -0.25f; // below EPS: zero gradient
                }
                yield new float[][] {p, TestData.uniform(seed + 1, n, -0.5f, 4f)};
            }
            case POISSON -> new float[][] {TestData.uniform(seed, n, 0.01f, 4f), TestData.uniform(seed + 1, n, 0f, 4f)};
            case MAPE -> new float[][] {TestData.uniform(seed, n, -3f, 3f), TestData.magnitudes(seed + 1, n, 0.1f, 3f)};
            default -> new float[][] {TestData.uniform(seed, n, -3f, 3f), TestData.uniform(seed + 1, n, -3f, 3f)};
        };
    }

    private static double lossTolerance(ElementLoss kind) {
        return switch (kind) {
            case MSLE, BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY, LOG_COSH, POISSON, KL_DIVERGENCE,
                    BINARY_FOCAL_CROSSENTROPY, BINARY_FOCAL_CROSSENTROPY_BALANCED -> TRANSCENDENTAL;
            default -> ROUNDING;
        };
    }

    @ParameterizedTest
    @EnumSource(ElementLoss.class)
    void elementLossMatchesReference(ElementLoss kind) {
        float param = kind == ElementLoss.HUBER ? 0.8f : 0.3f; // ignored except by HUBER
        float scale = 0.37f;
        for (Shape s : TestData.SHAPES) {
            float[][] in = lossInputs(kind, TestData.seed(kind.name(), s), s.size());
            checkElementLoss(kind, param, scale, s, in[0], in[1], false);
        }
    }

    @ParameterizedTest
    @EnumSource(ElementLoss.class)
    void elementLossAtExtremeInputs(ElementLoss kind) {
        Shape s = Shape.of(3, TestData.EXTREMES.length);
        float[] p = new float[s.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = TestData.EXTREMES[i % TestData.EXTREMES.length];
        }
        float[] t = lossInputs(kind, 99, s.size())[1];
        checkElementLoss(kind, 1f, 0.5f, s, p, t, true);
    }

    /**
     * The size of the terms of loss and gradient where a float32 formula cancels them: MSLE's
     * {@code ln(p + 1) - ln(t + 1)}, binary cross-entropy's {@code q - t} and {@code ln(1 - q)}.
     * Elsewhere the reference.
     */
    private static double[][] lossScale(ElementLoss kind, float scale, float[] p, float[] t,
            ReferenceMath.LossAndGradient ref) {
        double[] loss = TestData.abs(ref.loss());
        double[] grad = TestData.abs(ref.grad());
        for (int i = 0; i < p.length; i++) {
            if (kind == ElementLoss.MSLE) {
                double terms = Math.log(Math.max(p[i], ReferenceMath.EPS) + 1) + Math.log(Math.max(t[i], ReferenceMath.EPS) + 1);
                loss[i] = Math.max(loss[i], Math.abs(scale) * terms * terms);
                grad[i] = p[i] < ReferenceMath.EPS ? grad[i] : Math.max(grad[i], Math.abs(scale) * 2 * terms / (p[i] + 1));
            } else if (kind.ordinal() >= ElementLoss.LOG_COSH.ordinal()) {
                double[] terms = KerasLossTerms.of(kind, p[i], t[i]);
                loss[i] = Math.max(loss[i], Math.abs(scale) * terms[0]);
                grad[i] = Math.max(grad[i], Math.abs(scale) * terms[1]);
            } else if (kind == ElementLoss.BINARY_CROSSENTROPY) {
                // 1 - q is rounded before its log: an error of float32 epsilon times (1 - t).
                loss[i] += Math.abs(scale * (1 - t[i]));
                if (grad[i] != 0) {
                    grad[i] = Math.max(grad[i], Math.abs(scale) * (Math.abs(p[i]) + Math.abs(t[i])) / (p[i] * (1 - p[i])));
                }
            }
        }
        return new double[][] {loss, grad};
    }

    private void checkElementLoss(ElementLoss kind, float param, float scale, Shape s, float[] pv, float[] tv,
            boolean each) {
        Tensor p = upload(s, pv);
        Tensor t = upload(s, tv);
        Tensor loss = poisoned(s);
        Tensor grad = poisoned(s);
        backend.elementLoss(kind, param, scale, p, t, loss, grad);
        ReferenceMath.LossAndGradient ref = ReferenceMath.elementLoss(kind, param, scale, toDouble(pv), toDouble(tv));
        double[][] terms = lossScale(kind, scale, pv, tv, ref);
        String what = at("elementLoss " + kind + (each ? " of +-1e4, +-100, +-88" : ""), s);
        if (each) {
            assertEachMatches(what + ": loss", loss.toArray(), ref.loss(), terms[0], TRANSCENDENTAL);
            assertEachMatches(what + ": grad", grad.toArray(), ref.grad(), terms[1], TRANSCENDENTAL);
        } else {
            assertMatches(what + ": loss", loss.toArray(), ref.loss(), terms[0], lossTolerance(kind));
            assertMatches(what + ": grad", grad.toArray(), ref.grad(), terms[1], lossTolerance(kind));
        }
        assertUnchanged(what + ": pred", p, pv);
        assertUnchanged(what + ": target", t, tv);
    }

    static Stream<Arguments> logitsCases() {
        List<Arguments> cases = new ArrayList<>();
        for (LogitsLoss kind : LogitsLoss.values()) {
            for (boolean clip : new boolean[] {true, false}) {
                cases.add(Arguments.of(kind, clip));
            }
        }
        return cases.stream();
    }

    private static float[] logitsTargets(LogitsLoss kind, long seed, Shape s) {
        return kind == LogitsLoss.SOFTMAX ? TestData.distributions(seed, s) : TestData.uniform(seed, s.size(), 0f, 1f);
    }

    @ParameterizedTest(name = "{0} clip={1}")
    @MethodSource("logitsCases")
    void crossEntropyWithLogitsMatchesReference(LogitsLoss kind, boolean clip) {
        for (Shape s : TestData.SHAPES) {
            long seed = TestData.seed(kind + " " + clip, s);
            checkLogitsLoss(kind, clip, 0.29f, s, TestData.uniform(seed, s.size(), -6, 6), logitsTargets(kind, seed + 1, s),
                    false);
        }
    }

    @ParameterizedTest(name = "{0} clip={1}")
    @MethodSource("logitsCases")
    void crossEntropyWithLogitsAtExtremeInputs(LogitsLoss kind, boolean clip) {
        for (Shape s : new Shape[] {Shape.of(1, TestData.EXTREMES.length), Shape.of(5, TestData.EXTREMES.length),
                Shape.of(TestData.EXTREMES.length, 1)}) {
            float[] z = new float[s.size()];
            for (int i = 0; i < z.length; i++) {
                z[i] = TestData.EXTREMES[(i * 5 + i / TestData.EXTREMES.length) % TestData.EXTREMES.length];
            }
            checkLogitsLoss(kind, clip, 0.5f, s, z, logitsTargets(kind, 3, s), true);
        }
    }

    private void checkLogitsLoss(LogitsLoss kind, boolean clip, float scale, Shape s, float[] zv, float[] tv,
            boolean each) {
        Tensor z = upload(s, zv);
        Tensor t = upload(s, tv);
        Tensor probs = poisoned(s);
        Tensor loss = poisoned(s);
        Tensor grad = poisoned(s);
        backend.crossEntropyWithLogits(kind, clip, scale, z, t, probs, loss, grad);
        ReferenceMath.LogitsResult ref = ReferenceMath.crossEntropyWithLogits(kind, clip, scale, toDouble(zv), toDouble(tv),
                s.rows(), s.cols());
        String what = at("crossEntropyWithLogits " + kind + " clip=" + clip + (each ? " of +-1e4, +-100, +-88" : ""), s);
        // The exact sigmoid loss max(z, 0) - z t + ln(1 + e^-|z|) cancels its first two terms as t -> 1.
        // The clipped losses take the log of q (and 1 - q) rounded to float32: near 1 that rounding is an
        // absolute error of float32 epsilon in the log, weighted by t (and 1 - t).
        double[] lossTerms = TestData.abs(ref.loss());
        for (int i = 0; i < lossTerms.length; i++) {
            if (kind == LogitsLoss.SIGMOID && !clip) {
                lossTerms[i] = Math.abs(scale) * (Math.max(zv[i], 0) + Math.abs((double) zv[i] * tv[i]) + 1);
            } else if (clip) {
                lossTerms[i] += Math.abs(scale) * (kind == LogitsLoss.SIGMOID ? 1 : Math.abs(tv[i]));
            }
        }
        if (each) {
            assertEachMatches(what + ": probs", probs.toArray(), ref.probs(), TestData.abs(ref.probs()), TRANSCENDENTAL);
            assertEachMatches(what + ": loss", loss.toArray(), ref.loss(), lossTerms, TRANSCENDENTAL);
            assertEachMatches(what + ": grad", grad.toArray(), ref.grad(), TestData.abs(ref.grad()), TRANSCENDENTAL);
        } else {
            assertMatches(what + ": probs", probs.toArray(), ref.probs(), TRANSCENDENTAL);
            assertMatches(what + ": loss", loss.toArray(), ref.loss(), lossTerms, TRANSCENDENTAL);
            // p - t cancels where the prediction is good: measure against the size of the terms.
            double[] terms = new double[ref.grad().length];
            for (int i = 0; i < terms.length; i++) {
                terms[i] = scale * (Math.abs(ref.probs()[i]) + Math.abs(tv[i]));
            }
            assertMatches(what + ": grad", grad.toArray(), ref.grad(), terms, TRANSCENDENTAL);
        }
        assertUnchanged(what + ": logits", z, zv);
        assertUnchanged(what + ": target", t, tv);
    }

    // ---------------------------------------------------------------- optimizers

    /** Keras-like coefficients for step 3 of each rule (the host computes the step-dependent ones). */
    static List<float[]> coefficientSets(UpdateRule rule) {
        return switch (rule) {
            case SGD -> List.<float[]>of(new float[] {0.05f});
            case MOMENTUM, NESTEROV -> List.<float[]>of(new float[] {0.05f, 0.9f});
            // lr, rho, eps, momentum, centered: every combination of momentum and centering.
            case RMSPROP -> List.of(new float[] {0.01f, 0.9f, 1e-7f, 0f, 0f}, new float[] {0.01f, 0.9f, 1e-7f, 0.9f, 0f},
                    new float[] {0.01f, 0.9f, 1e-7f, 0f, 1f}, new float[] {0.01f, 0.9f, 1e-7f, 0.9f, 1f});
            case ADAGRAD -> List.<float[]>of(new float[] {0.05f, 1e-7f});
            case ADADELTA -> List.<float[]>of(new float[] {0.5f, 0.95f, 1e-7f});
            case ADAM -> List.<float[]>of(new float[] {(float) (0.01 * Math.sqrt(1 - Math.pow(0.999, 3)) / (1 - Math.pow(0.9, 3))),
                0.9f, 0.999f, 1e-7f});
            case AMSGRAD -> List.<float[]>of(new float[] {(float) (0.01 * Math.sqrt(1 - Math.pow(0.999, 3))
                    / (1 - Math.pow(0.9, 3))), 0.9f, 0.999f, 1e-7f});
            case ADAMAX -> List.<float[]>of(new float[] {(float) (0.01 / (1 - Math.pow(0.9, 3))), 0.9f, 0.999f, 1e-7f});
            case NADAM -> List.<float[]>of(new float[] {0.01f, 0.9f, 0.999f, 1e-7f, 1.35f, 0.55f,
                (float) (1 / (1 - Math.pow(0.999, 3)))});
        };
    }

    /**
     * A valid optimizer state of gradient scale {@code g}: first moments signed and of size g, second
     * moments positive and of size g^2, and RMSprop's centered mean {@code a} with {@code a^2 < v}.
     */
    static float[][] initialSlots(UpdateRule rule, long seed, int n, float g) {
        float[][] slots = new float[rule.slots()][];
        for (int k = 0; k < slots.length; k++) {
            boolean signed = switch (rule) {
                case MOMENTUM, NESTEROV -> true;
                case RMSPROP -> k != 0;
                case ADAM, AMSGRAD, ADAMAX, NADAM -> k == 0;
                default -> false;
            };
            boolean squared = !signed && rule != UpdateRule.ADAMAX;
            float size = squared ? g * g : g;
            slots[k] = signed ? TestData.uniform(seed + k, n, -size, size) : TestData.uniform(seed + k, n, 0.1f * size, size);
        }
        if (rule == UpdateRule.RMSPROP) {
            for (int i = 0; i < n; i++) {
                slots[2][i] = (float) (0.5 * Math.sqrt(slots[0][i]) * Math.signum(slots[2][i]));
            }
        }
        return slots;
    }

    static Stream<Arguments> optimizerCases() {
        List<Arguments> cases = new ArrayList<>();
        for (UpdateRule rule : UpdateRule.values()) {
            // Ordinary gradients with both regularizers; then gradients of 1e-8, where where epsilon sits
            // (inside or outside the square root) changes the step by orders of magnitude.
            cases.add(Arguments.of(rule, 0.5f, 1e-3f, 1e-2f));
            cases.add(Arguments.of(rule, 1e-8f, 0f, 0f));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} gradients of {1}, l1={2}, l2={3}")
    @MethodSource("optimizerCases")
    void optimizerUpdateMatchesReference(UpdateRule rule, float gradScale, float l1, float l2) {
        int steps = 4;
        for (float[] c : coefficientSets(rule)) {
            for (Shape s : new Shape[] {Shape.of(1, 1), Shape.of(7, 33), Shape.of(1, 1031), Shape.of(130, 257)}) {
                String what = at("optimizerUpdate " + rule + " c=" + Arrays.toString(c) + " l1=" + l1 + " l2=" + l2
                        + " gradients of " + gradScale, s);
                long seed = TestData.seed(what, s);
                float[] wv = TestData.uniform(seed, s.size(), -1, 1);
                if (l1 != 0) {
                    wv[0] = 0f; // sign(0) = 0: the L1 term vanishes there
                }
                float[][] sv = initialSlots(rule, seed + 10, s.size(), gradScale);
                Tensor w = upload(s, wv);
                Tensor[] slots = new Tensor[sv.length];
                for (int k = 0; k < sv.length; k++) {
                    slots[k] = upload(s, sv[k]);
                }
                Tensor g = poisoned(s);
                for (int step = 0; step < steps; step++) {
                    float[] gv = TestData.uniform(seed + 100 + step, s.size(), -gradScale, gradScale);
                    g.copyFrom(gv);
                    // The reference takes the step from the backend's own state, so errors do not pile up.
                    double[] wRef = toDouble(w.toArray());
                    double[] wBefore = wRef.clone();
                    double[][] slotRef = new double[slots.length][];
                    for (int k = 0; k < slots.length; k++) {
                        slotRef[k] = toDouble(slots[k].toArray());
                    }
                    ReferenceMath.optimizerUpdate(rule, toDouble(c), l1, l2, wRef, toDouble(gv), slotRef);
                    backend.optimizerUpdate(rule, c, l1, l2, w, g, slots);
                    String stepWhat = what + " step " + (step + 1);
                    assertUpdate(stepWhat + ": w", w.toArray(), wRef, wBefore);
                    for (int k = 0; k < slots.length; k++) {
                        assertMatches(stepWhat + ": slots[" + k + "]", slots[k].toArray(), slotRef[k], 2e-6);
                    }
                    assertUnchanged(stepWhat + ": g", g, gv);
                }
            }
        }
    }

    static Stream<Arguments> clippingCases() {
        List<Arguments> cases = new ArrayList<>();
        for (UpdateRule rule : List.of(UpdateRule.SGD, UpdateRule.MOMENTUM, UpdateRule.RMSPROP, UpdateRule.ADAM,
                UpdateRule.AMSGRAD, UpdateRule.NADAM)) {
            for (GradientClip clip : GradientClip.values()) {
                // A threshold that clips (0.3 of the gradients' scale) and, for the norms, one that does not.
                cases.add(Arguments.of(rule, clip, 0.3f, 4e-3f));
                if (clip.needsSumSquares()) {
                    cases.add(Arguments.of(rule, clip, 1e3f, 0f));
                }
            }
        }
        return cases.stream();
    }

    /**
     * Clipping (by value, by this tensor's norm, by a global norm the test sums over this tensor and a
     * second one) and decoupled weight decay, with both regularizers, over several steps.
     */
    @ParameterizedTest(name = "{0} {1} at {2}, decay {3}")
    @MethodSource("clippingCases")
    void optimizerUpdateClipsAndDecaysAsReference(UpdateRule rule, GradientClip clip, float clipAt, float decay) {
        Shape s = Shape.of(7, 33);
        float[] c = coefficientSets(rule).get(0);
        String what = at("optimizerUpdate " + rule + " " + clip + " at " + clipAt + " decay " + decay, s);
        long seed = TestData.seed(what, s);
        float[] wv = TestData.uniform(seed, s.size(), -1, 1);
        float[][] sv = initialSlots(rule, seed + 10, s.size(), 0.5f);
        Tensor w = upload(s, wv);
        Tensor[] slots = new Tensor[sv.length];
        for (int k = 0; k < sv.length; k++) {
            slots[k] = upload(s, sv[k]);
        }
        Tensor g = poisoned(s);
        Tensor sum = poisoned(Shape.of(1, 1));
        // The sum of squares of another tensor of the model, for the global norm.
        float other = 2.5f;
        for (int step = 0; step < 3; step++) {
            float[] gv = TestData.uniform(seed + 100 + step, s.size(), -0.5f, 0.5f);
            g.copyFrom(gv);
            double ss = 0;
            for (float x : gv) {
                ss += (double) x * x;
            }
            if (clip == GradientClip.GLOBAL_NORM) {
                ss += other;
            }
            sum.copyFrom(new float[] {(float) ss});
            double[] wRef = toDouble(w.toArray());
            double[] wBefore = wRef.clone();
            double[][] slotRef = new double[slots.length][];
            for (int k = 0; k < slots.length; k++) {
                slotRef[k] = toDouble(slots[k].toArray());
            }
            ReferenceMath.optimizerUpdate(rule, toDouble(c), 1e-3, 1e-2, clip, clipAt, (float) ss, decay, wRef,
                    toDouble(gv), slotRef);
            backend.optimizerUpdate(rule, c, 1e-3f, 1e-2f, clip, clipAt, sum, decay, w, g, slots);
            String stepWhat = what + " step " + (step + 1);
            assertUpdate(stepWhat + ": w", w.toArray(), wRef, wBefore);
            for (int k = 0; k < slots.length; k++) {
                assertMatches(stepWhat + ": slots[" + k + "]", slots[k].toArray(), slotRef[k], 2e-6);
            }
            assertUnchanged(stepWhat + ": g", g, gv);
            assertUnchanged(stepWhat + ": sumSquares", sum, new float[] {(float) ss});
        }
    }

    @Test
    void optimizerUpdateClippingKeepsNaN() {
        Shape s = Shape.of(1, 4);
        float[] adam = {0.01f, 0.9f, 0.999f, 1e-7f};
        // Clipping by value lets a NaN gradient through; AMSGRAD's running max lets NaN win.
        Tensor w = upload(s, new float[] {0.5f, -0.5f, 0.25f, 1f});
        Tensor g = upload(s, new float[] {Float.NaN, 10f, -10f, 0.1f});
        Tensor[] slots = {upload(s, new float[4]), upload(s, new float[4]), upload(s, new float[4])};
        backend.optimizerUpdate(UpdateRule.AMSGRAD, adam, 0f, 0f, GradientClip.VALUE, 1f, null, 0f, w, g, slots);
        float[] out = w.toArray();
        float[] vHat = slots[2].toArray();
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(vHat[0]), at("AMSGRAD clipped by value: w[0] " + out[0]
                + ", v_hat[0] " + vHat[0] + " for a NaN gradient", s));
        // Clipped to +-1: Adam's first step moves each weight by about alpha against the gradient's sign.
        assertTrue(out[1] < -0.5f && out[2] > 0.25f && Float.isFinite(out[3]), at("AMSGRAD clipped: " + Arrays.toString(out), s));
        // A NaN norm makes every element of the step NaN, and so does an infinite global norm, as in Keras;
        // an infinite norm of the tensor itself scales its gradient to 0.
        for (GradientClip clip : List.of(GradientClip.NORM, GradientClip.GLOBAL_NORM)) {
            for (float bad : new float[] {Float.POSITIVE_INFINITY, Float.NaN}) {
                float[] w0 = {0.5f, -0.5f, 0.25f, 1f};
                Tensor w2 = upload(s, w0);
                Tensor g2 = upload(s, new float[] {0.1f, 0.2f, -0.3f, 0.4f});
                Tensor sum = upload(Shape.of(1, 1), new float[] {bad});
                backend.optimizerUpdate(UpdateRule.SGD, new float[] {0.1f}, 0f, 0f, clip, 1f, sum, 0f, w2, g2);
                String what = at("SGD " + clip + " with a sum of squares of " + bad + ": w "
                        + Arrays.toString(w2.toArray()), s);
                if (clip == GradientClip.NORM && bad == Float.POSITIVE_INFINITY) {
                    assertArrayEquals(w0, w2.toArray(), what);
                } else {
                    for (float x : w2.toArray()) {
                        assertTrue(Float.isNaN(x), what);
                    }
                }
            }
        }
    }

    /**
     * The parameter after a step: its error is measured against the size of the step itself (1e-5 of it),
     * plus the float32 rounding of storing {@code w} (2^-22 of it), so a wrong formula cannot hide in the
     * digits of {@code w} that the step does not touch.
     */
    private static void assertUpdate(String what, float[] out, double[] ref, double[] before) {
        double err = 0;
        double step = 0;
        double size = 0;
        for (int i = 0; i < ref.length; i++) {
            if (!Float.isFinite(out[i])) {
                fail(what + ": element " + i + " is " + out[i] + ", reference " + ref[i]);
            }
            err += (out[i] - ref[i]) * (out[i] - ref[i]);
            step += (ref[i] - before[i]) * (ref[i] - before[i]);
            size += ref[i] * ref[i];
        }
        double allowed = 1e-5 * Math.sqrt(step) + 0x1p-22 * Math.sqrt(size);
        if (!(Math.sqrt(err) <= allowed)) {
            fail(String.format(Locale.ROOT, "%s: error %.3e exceeds %.3e (step size %.3e, parameter size %.3e)",
                    what, Math.sqrt(err), allowed, Math.sqrt(step), Math.sqrt(size)));
        }
    }

    // ---------------------------------------------------------------- ordering and threads

    @Test
    void operationsSeeTheirInputsAsTheyWereWhenEnqueued() {
        Shape s = Shape.of(33, 65);
        Shape w = Shape.of(65, 65);
        float[] a1 = TestData.uniform(21, s.size(), -1, 1);
        float[] a2 = TestData.uniform(22, s.size(), -1, 1);
        float[] bv = TestData.uniform(23, w.size(), -1, 1);
        Tensor a = upload(s, a1);
        Tensor b = upload(w, bv);
        Tensor c1 = poisoned(s);
        Tensor c2 = poisoned(s);
        Tensor y = poisoned(s);
        Tensor z = poisoned(s);
        // Nothing is read back between these: an upload, a fill or a later kernel must not overtake
        // the operations enqueued before it.
        backend.gemm(false, false, 1, a, b, 0, c1);
        backend.activation(Activation.SIGMOID, 0, a, y);
        a.copyFrom(a2);
        backend.gemm(false, false, 1, a, b, 0, c2);
        backend.fill(a, 3f);
        backend.activation(Activation.SIGMOID, 0, a, z);
        backend.fill(b, Float.NaN);
        c2.copyTo(new float[s.size()], 0);
        backend.synchronize();
        double[] b64 = toDouble(bv);
        assertGemm("gemm enqueued before its input was overwritten", c1.toArray(),
                ReferenceMath.gemm(false, false, 1, toDouble(a1), 33, 65, b64, 65, 65, 0, null),
                ReferenceMath.gemm(false, false, 1, TestData.abs(toDouble(a1)), 33, 65, TestData.abs(b64), 65, 65, 0, null), 65);
        assertGemm("gemm enqueued after the upload", c2.toArray(),
                ReferenceMath.gemm(false, false, 1, toDouble(a2), 33, 65, b64, 65, 65, 0, null),
                ReferenceMath.gemm(false, false, 1, TestData.abs(toDouble(a2)), 33, 65, TestData.abs(b64), 65, 65, 0, null), 65);
        assertMatches("activation enqueued before its input was overwritten", y.toArray(),
                ReferenceMath.activation(Activation.SIGMOID, 0, toDouble(a1)), TRANSCENDENTAL);
        float[] filled = new float[s.size()];
        Arrays.fill(filled, 3f);
        assertMatches("activation enqueued after a fill", z.toArray(),
                ReferenceMath.activation(Activation.SIGMOID, 0, toDouble(filled)), TRANSCENDENTAL);
    }

    @Test
    void worksFromAThreadOtherThanTheOneThatCreatedIt() throws InterruptedException {
        Shape s = Shape.of(7, 33);
        float[] xv = TestData.uniform(31, s.size(), -3, 3);
        float[][] result = new float[2][];
        Throwable[] failure = new Throwable[1];
        // One thread at a time, but not always the same one: a device context bound to the creating
        // thread would fail here.
        Thread worker = new Thread(() -> {
            try (Scope inner = backend.scope()) {
                Tensor x = upload(s, xv);
                Tensor y = poisoned(s);
                Tensor sum = poisoned(Shape.of(1, 1));
                backend.softmax(x, y);
                backend.reduce(Reduction.SUM, Axis.ALL, y, sum);
                result[0] = y.toArray();
                result[1] = sum.toArray();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "conformance-worker");
        worker.start();
        worker.join();
        if (failure[0] != null) {
            fail("operations on another thread failed: " + failure[0], failure[0]);
        }
        assertMatches("softmax on another thread", result[0], ReferenceMath.softmax(toDouble(xv), 7, 33), TRANSCENDENTAL);
        assertEquals(7.0, result[1][0], 1e-5, "the seven rows of a softmax sum to 7");
        // And back on this thread.
        Tensor x = upload(s, xv);
        Tensor y = poisoned(s);
        backend.softmax(x, y);
        assertArrayEquals(result[0], y.toArray(), "the same softmax on the test's own thread");
    }

    // ---------------------------------------------------------------- memory and lifecycle

    @Test
    void identifiesItself() {
        assertFalse(backend.name().isBlank(), "name() is blank");
        assertNotNull(backend.device(), "device() is null");
        assertFalse(backend.device().isBlank(), "device() is blank");
        assertFalse(backend.isClosed());
        Tensor t = backend.tensor(3, 5);
        assertEquals(Shape.of(3, 5), t.shape());
        assertEquals(15, t.size());
        assertTrue(t.backend() == backend, "a tensor's backend() is the backend that allocated it");
    }

    @Test
    void tenThousandAllocateCloseCyclesLeaveNothingLive() {
        int before = backend.liveTensors();
        float[] values = TestData.uniform(3, 64 * 64, -1, 1);
        for (int i = 0; i < 10_000; i++) {
            Shape s = TestData.SHAPES.get(i % 8);
            Tensor t = backend.tensor(s);
            if (i % 100 == 0) {
                Tensor u = backend.tensor(64, 64, values);
                assertEquals(values[4095], u.toArray()[4095]);
                u.close();
            }
            t.close();
            t.close(); // closing twice is a no-op
        }
        assertEquals(before, backend.liveTensors(), "live tensors after 10,000 allocate/close cycles");
    }

    @Test
    void scopeClosesWhatItAllocated() {
        int before = backend.liveTensors();
        Tensor outside = backend.tensor(2, 2);
        Tensor kept;
        Tensor inner;
        Tensor outerOnly;
        try (Scope outer = backend.scope()) {
            outerOnly = backend.tensor(3, 3);
            try (Scope nested = backend.scope()) {
                inner = backend.tensor(4, 4);
                kept = nested.keep(backend.tensor(5, 5));
                assertEquals(1, nested.size(), "the nested scope tracks what it allocated, less what it kept");
            }
            assertTrue(inner.isClosed(), "closing the nested scope closes its tensors");
            assertFalse(outerOnly.isClosed(), "closing the nested scope leaves the outer scope's tensors open");
            assertFalse(kept.isClosed(), "keep() lets a tensor outlive its scope");
            assertEquals(1, outer.size(), "the outer scope tracks only what it allocated itself");
        }
        assertTrue(outerOnly.isClosed(), "closing the outer scope closes its tensors");
        assertFalse(outside.isClosed(), "a scope leaves tensors allocated before it open");
        assertFalse(kept.isClosed());
        // Only 'outside' and 'kept' are still live.
        assertEquals(before + 2, backend.liveTensors());
        kept.close();
        outside.close();
        assertEquals(before, backend.liveTensors());
        float[] v = {1, 2, 3, 4};
        Tensor after = backend.tensor(2, 2, v);
        assertArrayEquals(v, after.toArray(), "the backend still works after its scopes closed");
    }

    @Test
    void scopeTracksOnlyItsOwnThread() throws InterruptedException {
        Tensor[] other = new Tensor[1];
        try (Scope s = backend.scope()) {
            Thread t = new Thread(() -> other[0] = backend.tensor(2, 2));
            t.start();
            t.join();
            assertEquals(0, s.size(), "a tensor allocated on another thread is not this thread's scope's");
        }
        assertFalse(other[0].isClosed());
        other[0].close();
    }

    // ---------------------------------------------------------------- argument errors

    /** Runs {@code call}, which must throw {@code type} with a message holding every one of {@code parts}. */
    private static void assertRejects(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable e = assertThrows(type, call);
        String msg = String.valueOf(e.getMessage());
        for (String p : parts) {
            assertTrue(msg.contains(p), "message \"" + msg + "\" should mention " + p);
        }
    }

    private Tensor random(int rows, int cols) {
        return upload(Shape.of(rows, cols), TestData.uniform(rows * 31L + cols, rows * cols, -1, 1));
    }

    @Test
    void mismatchedShapesAreRejectedNamingArgumentAndShape() {
        Tensor a = random(3, 4);
        Tensor b = random(4, 5);
        Tensor c = random(3, 5);
        Tensor bad = random(2, 7);
        Tensor x = random(3, 4);
        Tensor y = random(3, 4);
        assertRejects(IllegalArgumentException.class, () -> backend.gemm(false, false, 1, a, b, 0, bad), "'c'", "[2 x 7]", "[3 x 5]");
        assertRejects(IllegalArgumentException.class, () -> backend.gemm(false, false, 1, a, c, 0, c), "'c'", "'b'");
        assertRejects(IllegalArgumentException.class, () -> backend.gemm(true, false, 1, a, b, 0, c), "[3 x 4]", "[4 x 5]");
        assertRejects(IllegalArgumentException.class, () -> backend.gemm(false, false, 1, a, bad, 0, c), "[3 x 4]", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.activation(Activation.RELU, 0, x, bad), "'y'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.activationBackward(Activation.TANH, 0, x, bad, y), "'dy'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.activationBackward(Activation.TANH, 0, x, y, bad), "'dx'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.softmax(x, bad), "'y'", "[2 x 7]");
        for (Axis axis : Axis.values()) {
            assertRejects(IllegalArgumentException.class, () -> backend.reduce(Reduction.SUM, axis, x, bad), "'out'", "[2 x 7]",
                    axis.outputShape(x.shape()).toString());
        }
        Tensor scalar = random(1, 1);
        assertRejects(IllegalArgumentException.class, () -> backend.reduce(Reduction.MAX, Axis.ALL, scalar, scalar), "'out'", "'x'");
        assertRejects(IllegalArgumentException.class, () -> backend.argmax(x, bad), "'out'", "[2 x 7]", "[3 x 1]");
        assertRejects(IllegalArgumentException.class, () -> backend.binary(BinaryOp.ADD, x, bad, y), "'b'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.binary(BinaryOp.ADD, x, y, bad), "'out'", "[2 x 7]");
        Tensor row = random(1, 4);
        assertRejects(IllegalArgumentException.class, () -> backend.binary(BinaryOp.ADD, x, row, row), "'out'", "[1 x 4]");
        assertRejects(IllegalArgumentException.class, () -> backend.axpby(1, x, 1, bad), "'y'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.dropout(0.5f, 1, x, bad), "'y'", "[2 x 7]");
        Tensor l = random(3, 4);
        Tensor g = random(3, 4);
        assertRejects(IllegalArgumentException.class, () -> backend.elementLoss(ElementLoss.MSE, 0, 1, x, bad, l, g), "'target'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.elementLoss(ElementLoss.MSE, 0, 1, x, y, bad, g), "'loss'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.elementLoss(ElementLoss.MSE, 0, 1, x, y, l, bad), "'grad'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class, () -> backend.elementLoss(ElementLoss.MSE, 0, 1, x, y, l, l), "'loss'", "'grad'");
        Tensor p = random(3, 4);
        assertRejects(IllegalArgumentException.class,
                () -> backend.crossEntropyWithLogits(LogitsLoss.SOFTMAX, true, 1, x, bad, p, l, g), "'target'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class,
                () -> backend.crossEntropyWithLogits(LogitsLoss.SOFTMAX, true, 1, x, y, bad, l, g), "'probs'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class,
                () -> backend.crossEntropyWithLogits(LogitsLoss.SOFTMAX, true, 1, x, y, p, bad, g), "'loss'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class,
                () -> backend.crossEntropyWithLogits(LogitsLoss.SOFTMAX, true, 1, x, y, p, l, bad), "'grad'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class,
                () -> backend.crossEntropyWithLogits(LogitsLoss.SIGMOID, false, 1, x, y, x, l, g), "'probs'", "'logits'");
        assertRejects(IllegalArgumentException.class,
                () -> backend.crossEntropyWithLogits(LogitsLoss.SOFTMAX, true, 1, x, y, y, l, g), "'probs'", "'target'");
        assertRejects(IllegalArgumentException.class,
                () -> backend.crossEntropyWithLogits(LogitsLoss.SOFTMAX, false, 1, x, y, p, y, g), "'loss'", "'target'");
        assertRejects(IllegalArgumentException.class,
                () -> backend.crossEntropyWithLogits(LogitsLoss.SIGMOID, true, 1, x, y, p, l, x), "'grad'", "'logits'");
        assertRejects(IllegalArgumentException.class, () -> backend.elementLoss(ElementLoss.MAE, 0, 1, x, y, x, g), "'loss'", "'pred'");
        assertRejects(IllegalArgumentException.class, () -> backend.elementLoss(ElementLoss.MAE, 0, 1, x, y, l, y), "'grad'", "'target'");
        assertRejects(IllegalArgumentException.class,
                () -> backend.optimizerUpdate(UpdateRule.SGD, new float[] {0.1f}, 0, 0, x, bad), "'g'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class,
                () -> backend.optimizerUpdate(UpdateRule.ADAM, new float[] {0.1f, 0.9f, 0.999f, 1e-7f}, 0, 0, x, y, l, bad),
                "'slots[1]'", "[2 x 7]");
        assertRejects(IllegalArgumentException.class,
                () -> backend.optimizerUpdate(UpdateRule.ADAM, new float[] {0.1f, 0.9f, 0.999f, 1e-7f}, 0, 0, x, y, l, l),
                "'slots[1]'", "'slots[0]'");
        assertRejects(IllegalArgumentException.class,
                () -> backend.optimizerUpdate(UpdateRule.ADAM, new float[] {0.1f}, 0, 0, x, y, l, g), "ADAM", "4", "1");
        assertRejects(IllegalArgumentException.class,
                () -> backend.optimizerUpdate(UpdateRule.ADAM, new float[] {0.1f, 0.9f, 0.999f, 1e-7f}, 0, 0, x, y, l), "ADAM", "2", "1");
        assertRejects(IllegalArgumentException.class,
                () -> backend.optimizerUpdate(UpdateRule.SGD, new float[] {0.1f}, -1, 0, x, y), "l1=-1.0");
    }

    @Test
    void invalidParametersAreRejectedNamingThem() {
        Tensor x = random(2, 3);
        Tensor y = random(2, 3);
        assertRejects(IllegalArgumentException.class, () -> backend.activation(Activation.LEAKY_RELU, -0.1f, x, y), "leaky_relu", "-0.1");
        assertRejects(IllegalArgumentException.class, () -> backend.activation(Activation.ELU, Float.NaN, x, y), "elu", "NaN");
        assertRejects(IllegalArgumentException.class, () -> backend.randomFill(x, Distribution.UNIFORM, 1, 1, 0), "a=1.0", "b=1.0");
        assertRejects(IllegalArgumentException.class, () -> backend.randomFill(x, Distribution.NORMAL, 0, -1, 0), "b=-1.0");
        assertRejects(IllegalArgumentException.class, () -> backend.randomFill(x, Distribution.NORMAL, Float.NaN, 1, 0), "NaN");
        for (float rate : new float[] {1f, -0.1f, Float.NaN}) {
            assertRejects(IllegalArgumentException.class, () -> backend.dropout(rate, 0, x, y), "'rate'", String.valueOf(rate));
        }
        assertRejects(IllegalArgumentException.class,
                () -> backend.elementLoss(ElementLoss.HUBER, 0, 1, x, y, random(2, 3), random(2, 3)), "HUBER", "0.0");
    }

    /** One call of a tensor-taking operation, for the checks that apply to every argument of every op. */
    private record OpCall(String op, List<String> args, List<Shape> shapes, Consumer<Tensor[]> run) {
    }

    /** Every operation, with the argument names its messages use and valid shapes for them. */
    private List<OpCall> everyOp() {
        Shape s = Shape.of(2, 3);
        Shape w = Shape.of(3, 3);
        Shape col = Shape.of(2, 1);
        Shape row = Shape.of(1, 3);
        float[] adam = {0.01f, 0.9f, 0.999f, 1e-7f};
        return List.of(
                new OpCall("gemm", List.of("a", "b", "c"), List.of(s, w, s),
                        t -> backend.gemm(false, false, 1, t[0], t[1], 0, t[2])),
                new OpCall("activation", List.of("x", "y"), List.of(s, s),
                        t -> backend.activation(Activation.TANH, 0, t[0], t[1])),
                new OpCall("activationBackward", List.of("y", "dy", "dx"), List.of(s, s, s),
                        t -> backend.activationBackward(Activation.TANH, 0, t[0], t[1], t[2])),
                new OpCall("softmax", List.of("x", "y"), List.of(s, s), t -> backend.softmax(t[0], t[1])),
                new OpCall("reduce", List.of("x", "out"), List.of(s, col),
                        t -> backend.reduce(Reduction.SUM, Axis.PER_ROW, t[0], t[1])),
                new OpCall("argmax", List.of("x", "out"), List.of(s, col), t -> backend.argmax(t[0], t[1])),
                new OpCall("binary", List.of("a", "b", "out"), List.of(s, s, s),
                        t -> backend.binary(BinaryOp.MUL, t[0], t[1], t[2])),
                new OpCall("axpby", List.of("x", "y"), List.of(s, s), t -> backend.axpby(2, t[0], 3, t[1])),
                new OpCall("fill", List.of("t"), List.of(s), t -> backend.fill(t[0], 1)),
                new OpCall("randomFill", List.of("t"), List.of(s),
                        t -> backend.randomFill(t[0], Distribution.NORMAL, 0, 1, 1)),
                new OpCall("dropout", List.of("x", "y"), List.of(s, s), t -> backend.dropout(0.5f, 1, t[0], t[1])),
                new OpCall("elementLoss", List.of("pred", "target", "loss", "grad"), List.of(s, s, s, s),
                        t -> backend.elementLoss(ElementLoss.MSE, 0, 1, t[0], t[1], t[2], t[3])),
                new OpCall("crossEntropyWithLogits", List.of("logits", "target", "probs", "loss", "grad"),
                        List.of(s, s, s, s, s),
                        t -> backend.crossEntropyWithLogits(LogitsLoss.SOFTMAX, true, 1, t[0], t[1], t[2], t[3], t[4])),
                new OpCall("optimizerUpdate", List.of("w", "g", "slots[0]", "slots[1]"), List.of(s, s, s, s),
                        t -> backend.optimizerUpdate(UpdateRule.ADAM, adam, 0, 0, t[0], t[1], t[2], t[3])),
                new OpCall("moments", List.of("x", "mean", "variance"), List.of(s, row, row),
                        t -> backend.moments(Axis.PER_COLUMN, t[0], t[1], t[2])),
                // gamma, beta, dgamma and dbeta may be null; NormalizationContract checks them when given.
                new OpCall("normalize", List.of("x", "mean", "variance", "y"), List.of(s, row, row, s),
                        t -> backend.normalize(Axis.PER_COLUMN, 1e-3f, 0f, t[0], t[1], t[2], null, null, t[3])),
                new OpCall("normalizeBackward", List.of("x", "mean", "variance", "dy", "dx"),
                        List.of(s, row, row, s, s), t -> backend.normalizeBackward(Axis.PER_COLUMN, true, 1e-3f, 0f,
                                t[0], t[1], t[2], null, t[3], null, null, t[4])));
    }

    /** Fresh tensors of valid shapes and values for {@code call}. */
    private Tensor[] arguments(OpCall call) {
        Tensor[] t = new Tensor[call.shapes().size()];
        for (int i = 0; i < t.length; i++) {
            Shape s = call.shapes().get(i);
            t[i] = upload(s, TestData.uniform(i + 1, s.size(), 0.1f, 0.9f));
        }
        return t;
    }

    @Test
    void everyOpAcceptsItsValidArguments() {
        // The calls the checks below break one argument of; each must succeed as it stands.
        for (OpCall call : everyOp()) {
            Tensor[] t = arguments(call);
            call.run().accept(t);
            for (Tensor x : t) {
                for (float v : x.toArray()) {
                    assertTrue(Float.isFinite(v), call.op() + " wrote " + v);
                }
            }
        }
    }

    @Test
    void nullTensorInAnyArgumentIsRejectedNamingIt() {
        for (OpCall call : everyOp()) {
            for (int i = 0; i < call.args().size(); i++) {
                Tensor[] t = arguments(call);
                t[i] = null;
                assertRejects(NullPointerException.class, () -> call.run().accept(t), call.op(), "'" + call.args().get(i) + "'");
            }
        }
    }

    @Test
    void closedTensorInAnyArgumentIsRejectedNamingItAndItsShape() {
        for (OpCall call : everyOp()) {
            for (int i = 0; i < call.args().size(); i++) {
                Tensor[] t = arguments(call);
                t[i].close();
                assertRejects(IllegalStateException.class, () -> call.run().accept(t), call.op(),
                        "'" + call.args().get(i) + "'", call.shapes().get(i).toString(), "closed");
            }
        }
        Tensor closed = random(2, 3);
        closed.close();
        assertRejects(IllegalStateException.class, closed::toArray, "'tensor'", "[2 x 3]", "closed");
        assertRejects(IllegalStateException.class, () -> closed.copyFrom(new float[6]), "'tensor'", "[2 x 3]", "closed");
    }

    @Test
    void tensorOfAnotherBackendInstanceInAnyArgumentIsRejectedNamingIt() {
        Backend other = createBackend();
        try {
            assertTrue(other != backend, "createBackend() must return a new instance");
            for (OpCall call : everyOp()) {
                for (int i = 0; i < call.args().size(); i++) {
                    Tensor[] t = arguments(call);
                    Shape s = call.shapes().get(i);
                    t[i] = other.tensor(s.rows(), s.cols(), TestData.uniform(7, s.size(), 0.1f, 0.9f));
                    Tensor foreign = t[i];
                    assertRejects(IllegalArgumentException.class, () -> call.run().accept(t), call.op(),
                            "'" + call.args().get(i) + "'", "belongs to backend");
                    int live = backend.liveTensors();
                    foreign.close();
                    assertEquals(live, backend.liveTensors(), "closing another instance's tensor changed this one's count");
                }
            }
            assertEquals(0, other.liveTensors(), "the other instance's tensors were all closed");
        } finally {
            other.close();
        }
    }

    @Test
    void nullNonTensorArgumentsAreRejectedNamingThem() {
        Tensor x = random(2, 3);
        Tensor y = random(2, 3);
        assertRejects(NullPointerException.class, () -> backend.activation(null, 0, x, y), "'f'");
        assertRejects(NullPointerException.class, () -> backend.activationBackward(null, 0, x, y, y), "'f'");
        assertRejects(NullPointerException.class, () -> backend.reduce(null, Axis.ALL, x, random(1, 1)), "'reduction'");
        assertRejects(NullPointerException.class, () -> backend.reduce(Reduction.SUM, null, x, random(1, 1)), "'axis'");
        assertRejects(NullPointerException.class, () -> backend.binary(null, x, y, y), "'op'");
        assertRejects(NullPointerException.class, () -> backend.randomFill(x, null, 0, 1, 0), "'distribution'");
        assertRejects(NullPointerException.class, () -> backend.elementLoss(null, 0, 1, x, y, random(2, 3), random(2, 3)), "'kind'");
        assertRejects(NullPointerException.class,
                () -> backend.crossEntropyWithLogits(null, true, 1, x, y, random(2, 3), random(2, 3), random(2, 3)), "'kind'");
        assertRejects(NullPointerException.class, () -> backend.optimizerUpdate(null, new float[1], 0, 0, x, y), "'rule'");
        assertRejects(NullPointerException.class, () -> backend.optimizerUpdate(UpdateRule.SGD, null, 0, 0, x, y), "'c'");
        assertRejects(NullPointerException.class,
                () -> backend.optimizerUpdate(UpdateRule.SGD, new float[1], 0, 0, x, y, (Tensor[]) null), "'slots'");
        assertRejects(NullPointerException.class, () -> x.copyFrom(null), "'src'");
        assertRejects(NullPointerException.class, () -> x.copyTo(null, 0), "'dst'");
        assertRejects(NullPointerException.class, () -> backend.tensor(null), "shape");
    }

    @Test
    void shortOrOffsetHostArraysAreRejected() {
        Tensor t = random(3, 4);
        float[] before = t.toArray();
        assertRejects(IllegalArgumentException.class, () -> t.copyFrom(new float[11]), "'src'", "12", "11");
        assertRejects(IllegalArgumentException.class, () -> t.copyFrom(new float[12], 1), "'src'", "12", "offset 1");
        assertRejects(IllegalArgumentException.class, () -> t.copyFrom(new float[20], -1), "'src'", "negative");
        assertRejects(IllegalArgumentException.class, () -> t.copyTo(new float[11], 0), "'dst'", "12", "11");
        assertRejects(IllegalArgumentException.class, () -> t.copyTo(new float[13], 2), "'dst'", "offset 2");
        assertRejects(IllegalArgumentException.class, () -> backend.tensor(3, 4, new float[5]), "'values'", "12", "5");
        // Too many values is as wrong as too few: the extra ones would be silently dropped.
        assertRejects(IllegalArgumentException.class, () -> backend.tensor(2, 2, new float[5]), "'values'", "4", "5");
        assertArrayEquals(before, t.toArray(), "a rejected copy left the tensor as it was");
        assertRejects(IllegalArgumentException.class, () -> backend.tensor(0, 4), "[0 x 4]");
    }

    @Test
    void closedBackendRejectsUseAndClosesIdempotently() {
        Backend other = createBackend();
        Tensor t = other.tensor(2, 2, new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.toArray());
        other.close();
        other.close();
        assertTrue(other.isClosed());
        assertRejects(IllegalStateException.class, () -> other.tensor(2, 2), "closed");
        assertRejects(IllegalStateException.class, () -> other.fill(t, 0), "closed");
        assertRejects(IllegalStateException.class, other::scope, "closed");
        assertRejects(IllegalStateException.class, other::synchronize, "closed");
        assertFalse(backend.isClosed(), "closing one instance must leave the others open");
        float[] v = {5, 6};
        assertArrayEquals(v, backend.tensor(1, 2, v).toArray(), "another instance still works");
    }
}
