package dev.myelin.contract;

import static dev.myelin.contract.ReferenceMath.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.contract.NonFiniteData.Pattern;
import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.Scope;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance checks of the SPI's rule for NaN and infinities (see {@link Backend}): every operation
 * gets NaN, +Inf and -Inf inputs ({@link NonFiniteData}) and each output element must be NaN, the same
 * infinity, or finite exactly where the float64 {@link ReferenceMath}, which follows the rule, is; the
 * finite ones must be close to it. So a kernel whose {@code fmax}, {@code clamp} or comparison turns a
 * NaN into a number, or whose max skips a NaN, fails here. {@link BackendContract} implements it, so
 * every backend's conformance test runs these checks.
 */
public interface NonFiniteContract {

    /** Loose: these checks are about where the non-finite values go; accuracy is checked elsewhere. */
    double RTOL = 2e-5;

    /** The backend under test, open while the checks run. */
    Backend backendUnderTest();

    private Tensor upload(Shape s, float[] values) {
        return backendUnderTest().tensor(s.rows(), s.cols(), values);
    }

    private Tensor poisoned(Shape s) {
        return upload(s, TestData.nan(s.size()));
    }

    /** Non-finite exactly where the reference is, finite elements within {@code RTOL (|ref| + 1)}. */
    private static void check(String what, float[] out, double[] ref) {
        Accuracy.assertEachMatches(what, out, ref, TestData.abs(ref), RTOL);
    }

    private static void check(String what, float[] out, double[] ref, double[] scale) {
        Accuracy.assertEachMatches(what, out, ref, scale, RTOL);
    }

    // ---------------------------------------------------------------- element-wise

    @ParameterizedTest(name = "activation {0} of NaN and +-Inf, forward and backward")
    @EnumSource(Activation.class)
    default void activationPropagatesNaNAndFollowsIeeeOnInfinities(Activation f) {
        try (Scope ignored = backendUnderTest().scope()) {
            for (Shape s : NonFiniteData.SHAPES) {
                for (float alpha : new float[] {f.defaultAlpha(), 0f}) {
                    String what = f.kerasName() + "(alpha " + alpha + ") at " + s;
                    float[] x = NonFiniteData.scattered(11 + s.size(), s.size());
                    Tensor y = poisoned(s);
                    backendUnderTest().activation(f, alpha, upload(s, x), y);
                    check(what + " forward", y.toArray(), ReferenceMath.activation(f, alpha, toDouble(x)));

                    float[] yv = NonFiniteData.scattered(13 + s.size(), s.size());
                    float[] dyv = NonFiniteData.scattered(17 + s.size(), s.size());
                    if (f.derivableFromOutput()) {
                        Tensor dx = poisoned(s);
                        backendUnderTest().activationBackward(f, alpha, upload(s, yv), upload(s, dyv), dx);
                        check(what + " backward", dx.toArray(),
                                ReferenceMath.activationBackward(f, alpha, toDouble(yv), toDouble(dyv)));
                    }
                    Tensor dxFromX = poisoned(s);
                    backendUnderTest().activationBackwardFromInput(f, alpha, upload(s, x), upload(s, dyv), dxFromX);
                    check(what + " backward from x", dxFromX.toArray(),
                            ReferenceMath.activationBackwardFromInput(f, alpha, toDouble(x), toDouble(dyv)));
                }
            }
        }
    }

    @ParameterizedTest(name = "binary {0} of NaN and +-Inf, every broadcast")
    @EnumSource(BinaryOp.class)
    default void binaryPropagatesNaNAndComparesAsIeee(BinaryOp op) {
        try (Scope ignored = backendUnderTest().scope()) {
            for (Shape s : NonFiniteData.SHAPES) {
                float[] a = NonFiniteData.scattered(19 + s.size(), s.size());
                // full, a row (a bias add), a column, a scalar of each special value
                Shape[] bShapes = {s, Shape.of(1, s.cols()), Shape.of(s.rows(), 1), Shape.of(1, 1), Shape.of(1, 1),
                    Shape.of(1, 1)};
                float[][] bValues = {NonFiniteData.scattered(23 + s.size(), s.size()),
                    NonFiniteData.scattered(29 + s.cols(), s.cols()), NonFiniteData.scattered(31 + s.rows(), s.rows()),
                    {NonFiniteData.NAN}, {NonFiniteData.INF}, {NonFiniteData.NEG_INF}};
                for (int k = 0; k < bShapes.length; k++) {
                    Shape bs = bShapes[k];
                    Tensor out = poisoned(s);
                    backendUnderTest().binary(op, upload(s, a), upload(bs, bValues[k]), out);
                    check(op + " at " + s + " with b " + bs + " " + bValues[k][0], out.toArray(), ReferenceMath.binary(op,
                            toDouble(a), s.rows(), s.cols(), toDouble(bValues[k]), bs.rows(), bs.cols()));
                }
            }
        }
    }

    @Test
    default void axpbyPropagatesNaNAndReadsYOnlyWhenBetaIsNonZero() {
        try (Scope ignored = backendUnderTest().scope()) {
            float[][] alphaBeta = {{0.5f, -2f}, {0f, 1f}, {1.5f, 0f}, {-1f, 1f}};
            for (Shape s : NonFiniteData.SHAPES) {
                float[] x = NonFiniteData.scattered(37 + s.size(), s.size());
                float[] yv = NonFiniteData.scattered(41 + s.size(), s.size());
                for (float[] ab : alphaBeta) {
                    Tensor y = upload(s, yv);
                    backendUnderTest().axpby(ab[0], upload(s, x), ab[1], y);
                    check("axpby alpha " + ab[0] + " beta " + ab[1] + " at " + s, y.toArray(),
                            ReferenceMath.axpby(ab[0], toDouble(x), ab[1], toDouble(yv)));
                }
            }
        }
    }

    @Test
    default void dropoutOfNaNOrInfinityIsNaNWhereDropped() {
        try (Scope ignored = backendUnderTest().scope()) {
            for (Shape s : NonFiniteData.SHAPES) {
                float[] x = NonFiniteData.scattered(43 + s.size(), s.size());
                for (float rate : new float[] {0f, 0.3f, 0.75f}) {
                    Tensor y = poisoned(s);
                    backendUnderTest().dropout(rate, 99L, upload(s, x), y);
                    check("dropout " + rate + " at " + s, y.toArray(), ReferenceMath.dropout(rate, 99L, toDouble(x)));
                }
            }
        }
    }

    @ParameterizedTest(name = "element loss {0} of NaN and +-Inf predictions and targets")
    @EnumSource(ElementLoss.class)
    default void elementLossIsNaNForANaNPredictionOrTarget(ElementLoss kind) {
        try (Scope ignored = backendUnderTest().scope()) {
            for (Shape s : NonFiniteData.SHAPES) {
                float[] p = NonFiniteData.scattered(47 + s.size(), s.size());
                float[] t = kind == ElementLoss.HINGE || kind == ElementLoss.SQUARED_HINGE
                        ? NonFiniteData.targets(53 + s.size(), s.size(), -1f, 1f, NonFiniteData.INF)
                        : NonFiniteData.scattered(53 + s.size(), s.size());
                if (kind == ElementLoss.BINARY_CROSSENTROPY || kind == ElementLoss.CATEGORICAL_CROSSENTROPY) {
                    // probabilities: in (0, 1), at and past the clipping bounds, NaN and the infinities
                    p = NonFiniteData.targets(47 + s.size(), s.size(), 0.3f, 0.9f, 1e-9f, 1f, 0f, 2f, NonFiniteData.INF,
                            NonFiniteData.NEG_INF);
                    t = NonFiniteData.targets(59 + s.size(), s.size(), 0f, 1f, 0.25f);
                    p[0] = NonFiniteData.NAN;
                }
                Tensor loss = poisoned(s);
                Tensor grad = poisoned(s);
                backendUnderTest().elementLoss(kind, 1f, 0.5f, upload(s, p), upload(s, t), loss, grad);
                ReferenceMath.LossAndGradient ref = ReferenceMath.elementLoss(kind, 1, 0.5, toDouble(p), toDouble(t));
                check(kind + " loss at " + s, loss.toArray(), ref.loss());
                check(kind + " gradient at " + s, grad.toArray(), ref.grad());
            }
        }
    }

    // ---------------------------------------------------------------- row-wise

    @Test
    default void softmaxRowWithNaNOrPlusInfIsNaNAndMinusInfGetsZero() {
        try (Scope ignored = backendUnderTest().scope()) {
            int rows = Pattern.values().length;
            for (int n : NonFiniteData.LENGTHS) {
                Shape s = Shape.of(rows, n);
                float[] x = NonFiniteData.rows(n, 61 + n);
                Tensor y = poisoned(s);
                backendUnderTest().softmax(upload(s, x), y);
                check("softmax of the patterns " + Arrays.toString(Pattern.values()) + " at " + s, y.toArray(),
                        ReferenceMath.softmax(toDouble(x), rows, n));
                Tensor ly = poisoned(s);
                backendUnderTest().logSoftmax(upload(s, x), ly);
                check("log_softmax of the patterns at " + s, ly.toArray(), ReferenceMath.logSoftmax(toDouble(x), rows, n));
            }
        }
    }

    @Test
    default void argmaxIsTheFirstNaNOfARow() {
        try (Scope ignored = backendUnderTest().scope()) {
            int rows = Pattern.values().length;
            for (int n : NonFiniteData.LENGTHS) {
                Shape s = Shape.of(rows, n);
                float[] x = NonFiniteData.rows(n, 67 + n);
                Tensor out = poisoned(Shape.of(rows, 1));
                backendUnderTest().argmax(upload(s, x), out);
                float[] got = out.toArray();
                double[] ref = ReferenceMath.argmax(toDouble(x), rows, n);
                for (int i = 0; i < rows; i++) {
                    assertEquals((float) ref[i], got[i], "argmax of row " + Pattern.values()[i] + " at " + s);
                }
            }
            // The case in the SPI's words.
            Tensor out = poisoned(Shape.of(2, 1));
            backendUnderTest().argmax(upload(Shape.of(2, 3), new float[] {NonFiniteData.NAN, 1, 3, 1, NonFiniteData.NAN, 3}),
                    out);
            assertEquals(List.of(0f, 1f), List.of(out.toArray()[0], out.toArray()[1]),
                    "argmax([NaN, 1, 3]) and argmax([1, NaN, 3])");
        }
    }

    @ParameterizedTest(name = "reduce {0} over NaN and +-Inf, every axis")
    @EnumSource(Reduction.class)
    default void reductionLetsNaNWinMaxAndMinAndAddsAsIeee(Reduction r) {
        try (Scope ignored = backendUnderTest().scope()) {
            int patterns = Pattern.values().length;
            for (int n : NonFiniteData.LENGTHS) {
                Shape byRow = Shape.of(patterns, n);
                float[] x = NonFiniteData.rows(n, 71 + n);
                reduceAndCheck(r, Axis.PER_ROW, byRow, x);
                reduceAndCheck(r, Axis.PER_COLUMN, Shape.of(n, patterns), NonFiniteData.columns(n, 73 + n));
            }
            for (Pattern p : Pattern.values()) {
                for (Shape s : NonFiniteData.SHAPES) {
                    reduceAndCheck(r, Axis.ALL, s, NonFiniteData.row(p, s.size(), 79 + s.size()));
                }
            }
        }
    }

    private void reduceAndCheck(Reduction r, Axis axis, Shape s, float[] x) {
        Tensor out = poisoned(axis.outputShape(s));
        backendUnderTest().reduce(r, axis, upload(s, x), out);
        // A sum's error is relative to the size of its terms, not to the (possibly cancelled) result.
        double[] terms = ReferenceMath.reduce(Reduction.SUM_ABS, axis, toDouble(x), s.rows(), s.cols());
        check(r + " " + axis + " at " + s, out.toArray(), ReferenceMath.reduce(r, axis, toDouble(x), s.rows(), s.cols()),
                terms);
    }

    // ---------------------------------------------------------------- fused losses

    @ParameterizedTest(name = "softmax cross-entropy of NaN and +-Inf logits and NaN targets, clip={0}")
    @ValueSource(booleans = {false, true})
    default void softmaxCrossEntropyIsNaNForANaNRowNotClipped(boolean clip) {
        try (Scope ignored = backendUnderTest().scope()) {
            int rows = Pattern.values().length;
            for (int n : NonFiniteData.LENGTHS) {
                Shape s = Shape.of(rows, n);
                float[] z = NonFiniteData.rows(n, 83 + n);
                float[] t = TestData.distributions(89 + n, s);
                t[t.length - 1] = NonFiniteData.NAN;   // the last row is scattered: a NaN target among them
                checkLogits(LogitsLoss.SOFTMAX, clip, s, z, t);
            }
        }
    }

    @ParameterizedTest(name = "sigmoid cross-entropy of NaN and +-Inf logits and NaN targets, clip={0}")
    @ValueSource(booleans = {false, true})
    default void sigmoidCrossEntropyIsNaNForANaNLogitNotClipped(boolean clip) {
        try (Scope ignored = backendUnderTest().scope()) {
            for (Shape s : NonFiniteData.SHAPES) {
                float[] z = NonFiniteData.scattered(97 + s.size(), s.size());
                float[] t = NonFiniteData.targets(101 + s.size(), s.size(), 0f, 1f, 0.25f);
                checkLogits(LogitsLoss.SIGMOID, clip, s, z, t);
            }
        }
    }

    @ParameterizedTest(name = "row loss {0} of NaN and +-Inf predictions and targets")
    @EnumSource(RowLoss.class)
    default void rowLossIsNaNForANaNInTheRow(RowLoss kind) {
        try (Scope ignored = backendUnderTest().scope()) {
            int rows = Pattern.values().length;
            for (int n : NonFiniteData.LENGTHS) {
                Shape s = Shape.of(rows, n);
                float[][] in = NonFiniteData.rowLossInputs(kind != RowLoss.COSINE_SIMILARITY, n, 137 + n);
                for (int k = 0; k < in.length; k += 2) {
                    Tensor loss = poisoned(s);
                    Tensor grad = poisoned(s);
                    backendUnderTest().rowLoss(kind, 0.5f, upload(s, in[k]), upload(s, in[k + 1]), loss, grad);
                    ReferenceMath.LossAndGradient ref = KerasReference.rowLoss(kind, 0.5, toDouble(in[k]),
                            toDouble(in[k + 1]), rows, n);
                    String what = kind + (k == 0 ? " with the patterns in the predictions" : " with NaN and Inf targets")
                            + " at " + s;
                    check(what + ": loss", loss.toArray(), ref.loss());
                    check(what + ": gradient", grad.toArray(), ref.grad());
                }
            }
        }
    }

    private void checkLogits(LogitsLoss kind, boolean clip, Shape s, float[] z, float[] t) {
        Tensor probs = poisoned(s);
        Tensor loss = poisoned(s);
        Tensor grad = poisoned(s);
        backendUnderTest().crossEntropyWithLogits(kind, clip, 0.5f, upload(s, z), upload(s, t), probs, loss, grad);
        ReferenceMath.LogitsResult ref = ReferenceMath.crossEntropyWithLogits(kind, clip, 0.5, toDouble(z), toDouble(t),
                s.rows(), s.cols());
        String what = kind + " cross-entropy clip=" + clip + " at " + s;
        check(what + ": probabilities", probs.toArray(), ref.probs());
        check(what + ": loss", loss.toArray(), ref.loss());
        check(what + ": gradient", grad.toArray(), ref.grad());
    }

    // ---------------------------------------------------------------- optimizers, gemm

    @ParameterizedTest(name = "optimizer {0} with NaN and +-Inf gradients and weights")
    @EnumSource(UpdateRule.class)
    default void optimizerUpdateWithNaNGradientGivesNaNParameterAndSlots(UpdateRule rule) {
        try (Scope ignored = backendUnderTest().scope()) {
            // (l1, l2): none (an infinite weight stays infinite), L1 only (sign(NaN) is NaN), both.
            float[][] penalties = {{0f, 0f}, {1e-3f, 0f}, {1e-3f, 1e-2f}};
            for (float[] c : BackendContract.coefficientSets(rule)) {
                for (Shape s : NonFiniteData.SHAPES) {
                    for (float[] pen : penalties) {
                        float[] g = NonFiniteData.scattered(103 + s.size(), s.size());
                        float[] w = pen[1] == 0f ? NonFiniteData.scattered(107 + s.size(), s.size())
                                : TestData.uniform(107 + s.size(), s.size(), -1, 1);
                        float[][] slots = BackendContract.initialSlots(rule, 109 + s.size(), s.size(), 3f);
                        Tensor wt = upload(s, w);
                        Tensor[] st = new Tensor[slots.length];
                        for (int k = 0; k < slots.length; k++) {
                            st[k] = upload(s, slots[k]);
                        }
                        backendUnderTest().optimizerUpdate(rule, c, pen[0], pen[1], wt, upload(s, g), st);
                        double[] wd = toDouble(w);
                        double[][] sd = new double[slots.length][];
                        for (int k = 0; k < slots.length; k++) {
                            sd[k] = toDouble(slots[k]);
                        }
                        ReferenceMath.optimizerUpdate(rule, toDouble(c), pen[0], pen[1], wd, toDouble(g), sd);
                        String what = rule + " c=" + Arrays.toString(c) + " l1=" + pen[0] + " l2=" + pen[1]
                                + " at " + s;
                        check(what + ": parameter", wt.toArray(), wd);
                        for (int k = 0; k < slots.length; k++) {
                            check(what + ": slot " + k, st[k].toArray(), sd[k]);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "optimizer {0} clipped and decayed with NaN and +-Inf gradients")
    @EnumSource(UpdateRule.class)
    default void clippingAndDecayLetANaNGradientThrough(UpdateRule rule) {
        try (Scope ignored = backendUnderTest().scope()) {
            float[] c = BackendContract.coefficientSets(rule).get(0);
            Shape s = Shape.of(3, 37);
            float[] g = NonFiniteData.scattered(113, s.size());
            float[] w = TestData.uniform(127, s.size(), -1, 1);
            // The norms read a sum of squares that a NaN or infinite gradient makes NaN or infinite.
            float[] sums = {0f, Float.NaN, Float.POSITIVE_INFINITY, 4f};
            GradientClip[] clips = {GradientClip.VALUE, GradientClip.NORM, GradientClip.GLOBAL_NORM, GradientClip.NORM};
            for (int k = 0; k < clips.length; k++) {
                float[][] slots = BackendContract.initialSlots(rule, 131, s.size(), 3f);
                Tensor wt = upload(s, w);
                Tensor[] st = new Tensor[slots.length];
                for (int j = 0; j < slots.length; j++) {
                    st[j] = upload(s, slots[j]);
                }
                backendUnderTest().optimizerUpdate(rule, c, 0f, 0f, clips[k], 0.5f, upload(Shape.of(1, 1),
                        new float[] {sums[k]}), 0.01f, wt, upload(s, g), st);
                double[] wd = toDouble(w);
                double[][] sd = new double[slots.length][];
                for (int j = 0; j < slots.length; j++) {
                    sd[j] = toDouble(slots[j]);
                }
                ReferenceMath.optimizerUpdate(rule, toDouble(c), 0, 0, clips[k], 0.5f, sums[k], 0.01f, wd, toDouble(g), sd);
                String what = rule + " " + clips[k] + " at 0.5 (sum of squares " + sums[k] + "), decay 0.01";
                check(what + ": parameter", wt.toArray(), wd);
                for (int j = 0; j < slots.length; j++) {
                    check(what + ": slot " + j, st[j].toArray(), sd[j]);
                }
            }
        }
    }

    @Test
    default void gemmCarriesANaNOrInfinityToExactlyTheOutputsItReaches() {
        try (Scope ignored = backendUnderTest().scope()) {
            int[][] mnk = {{1, 1, 1}, {7, 9, 13}, {33, 37, 129}, {130, 67, 300}};
            for (int[] d : mnk) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        for (boolean specialsInA : new boolean[] {true, false}) {
                            gemmCase(d[0], d[1], d[2], ta, tb, specialsInA);
                        }
                    }
                }
            }
        }
    }

    private void gemmCase(int m, int n, int k, boolean ta, boolean tb, boolean specialsInA) {
        Shape as = ta ? Shape.of(k, m) : Shape.of(m, k);
        Shape bs = tb ? Shape.of(n, k) : Shape.of(k, n);
        Shape cs = Shape.of(m, n);
        long seed = m * 131L + n * 17L + k + (ta ? 1 : 0) + (tb ? 2 : 0);
        float[] a = TestData.uniform(seed, as.size(), -1, 1);
        float[] b = TestData.uniform(seed + 1, bs.size(), -1, 1);
        float[] c = TestData.uniform(seed + 2, cs.size(), -1, 1);
        // One special per row of op(A) (or column of op(B)), each at its own k, so none meets another.
        float[] specials = {NonFiniteData.NAN, NonFiniteData.INF, NonFiniteData.NEG_INF};
        int lines = specialsInA ? m : n;
        for (int line = 0; line < lines; line += 2) {
            int p = (line * 7) % k;
            float v = specials[(line / 2) % 3];
            if (specialsInA) {
                a[ta ? p * m + line : line * k + p] = v;
            } else {
                b[tb ? line * k + p : p * n + line] = v;
            }
        }
        c[cs.size() - 1] = NonFiniteData.NAN;
        double[] absA = TestData.abs(toDouble(a));
        double[] absB = TestData.abs(toDouble(b));
        for (float beta : new float[] {0f, 0.5f}) {
            Tensor ct = upload(cs, c);
            backendUnderTest().gemm(ta, tb, 1.5f, upload(as, a), upload(bs, b), beta, ct);
            double[] ref = ReferenceMath.gemm(ta, tb, 1.5, toDouble(a), as.rows(), as.cols(), toDouble(b), bs.rows(),
                    bs.cols(), beta, toDouble(c));
            double[] terms = ReferenceMath.gemm(ta, tb, 1.5, absA, as.rows(), as.cols(), absB, bs.rows(), bs.cols(), 0,
                    null);
            check("gemm transA=" + ta + " transB=" + tb + " " + m + "x" + n + "x" + k + " beta " + beta + " with specials in "
                    + (specialsInA ? "A" : "B"), ct.toArray(), ref, terms);
        }
    }
}
