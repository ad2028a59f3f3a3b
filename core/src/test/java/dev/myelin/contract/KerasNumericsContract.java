package dev.myelin.contract;

import static dev.myelin.contract.Accuracy.ROUNDING;
import static dev.myelin.contract.Accuracy.TRANSCENDENTAL;
import static dev.myelin.contract.Accuracy.assertEachMatches;
import static dev.myelin.contract.Accuracy.assertMatches;
import static dev.myelin.contract.ReferenceMath.toDouble;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Backend;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance checks of the Keras 3 numerics every backend runs besides {@link BackendContract}: the
 * activation backward from the input (every activation), log-softmax, the balanced focal loss with its
 * alpha, and the row losses ({@link RowLoss}), each against the float64 {@link KerasReference} at awkward
 * shapes, extreme inputs and NaN. A backend module runs them by extending this class as it does
 * {@link BackendContract}.
 */
public abstract class KerasNumericsContract extends BackendFixture {

    // ---------------------------------------------------------------- activation backward from x

    /** The size of the terms the derivative adds up, so that cancellation (silu near -1.28) is measured fairly. */
    private static double[] derivativeScale(Activation f, float[] x, float[] dy, double[] ref) {
        double[] s = TestData.abs(ref);
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            double sig = 1 / (1 + Math.exp(-v));
            double terms = switch (f) {
                case SILU -> sig + Math.abs(v) * sig * (1 - sig);
                case GELU -> 1 + Math.abs(v) * Math.exp(-v * v / 2);
                case GELU_APPROXIMATE -> 1 + Math.abs(v) * (1 + 0.134 * v * v);
                case MISH -> 1 + Math.abs(v) * sig;
                case TANH, SIGMOID -> 1;
                default -> 0;
            };
            s[i] = Double.isFinite(terms) ? Math.max(s[i], Math.abs(dy[i]) * terms) : s[i];
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationBackwardFromInputMatchesReference(Activation f) {
        float alpha = f == Activation.LEAKY_RELU ? 0.3f : f == Activation.ELU ? 0.7f : 0.55f;
        for (Shape s : TestData.SHAPES) {
            long seed = TestData.seed("from input " + f.name(), s);
            float[] xv = TestData.uniform(seed, s.size(), -7, 7);
            float[] dyv = TestData.uniform(seed + 1, s.size(), -2, 2);
            double[] ref = ReferenceMath.activationBackwardFromInput(f, alpha, toDouble(xv), toDouble(dyv));
            double[] scale = derivativeScale(f, xv, dyv, ref);
            Tensor x = upload(s, xv);
            Tensor dy = upload(s, dyv);
            Tensor dx = poisoned(s);
            String what = "activationBackwardFromInput " + f + " at " + s;
            backend.activationBackwardFromInput(f, alpha, x, dy, dx);
            assertMatches(what, dx.toArray(), ref, scale, TRANSCENDENTAL);
            assertMatches(what + ": x unchanged", x.toArray(), toDouble(xv), 0);
            backend.activationBackwardFromInput(f, alpha, x, dy, dy);
            assertMatches(what + " with dx == dy", dy.toArray(), ref, scale, TRANSCENDENTAL);
            dy.copyFrom(dyv);
            backend.activationBackwardFromInput(f, alpha, x, dy, x);
            assertMatches(what + " with dx == x", x.toArray(), ref, scale, TRANSCENDENTAL);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationBackwardFromInputAtExtremesAndNaN(Activation f) {
        float alpha = f.defaultAlpha();
        float[] extremes = TestData.EXTREMES;
        float[] xv = new float[extremes.length + 3];
        System.arraycopy(extremes, 0, xv, 0, extremes.length);
        xv[extremes.length] = Float.NaN;
        xv[extremes.length + 1] = Float.POSITIVE_INFINITY;
        xv[extremes.length + 2] = Float.NEGATIVE_INFINITY;
        Shape s = Shape.of(1, xv.length);
        float[] dyv = TestData.uniform(TestData.seed("extreme from input " + f, s), s.size(), 0.5f, 2);
        double[] ref = ReferenceMath.activationBackwardFromInput(f, alpha, toDouble(xv), toDouble(dyv));
        Tensor dx = poisoned(s);
        backend.activationBackwardFromInput(f, alpha, upload(s, xv), upload(s, dyv), dx);
        assertEachMatches("activationBackwardFromInput " + f + " of +-1e4 ... 0, NaN, +-Inf", dx.toArray(), ref,
                derivativeScale(f, xv, dyv, ref), TRANSCENDENTAL);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"HARD_SIGMOID", "RELU6", "SILU", "GELU", "GELU_APPROXIMATE", "MISH",
        "HARD_SILU"})
    void keras3ActivationsPropagateNaN(Activation f) {
        Shape s = Shape.of(1, 3);
        Tensor y = poisoned(s);
        backend.activation(f, 0f, upload(s, new float[] {1f, Float.NaN, -2f}), y);
        assertTrue(Float.isNaN(y.toArray()[1]), f + " of NaN must be NaN, got " + y.toArray()[1]);
        if (f.derivableFromOutput()) {
            Tensor dx = poisoned(s);
            backend.activationBackward(f, 0f, upload(s, new float[] {0.5f, Float.NaN, 0f}), upload(s, new float[] {1, 1, 1}), dx);
            assertTrue(Float.isNaN(dx.toArray()[1]), f + "'s backward at y = NaN must be NaN, got " + dx.toArray()[1]);
        } else {
            Tensor t = upload(s, new float[] {1, 2, 3});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.activationBackward(f, 0f, t, t, poisoned(s)));
            assertTrue(e.getMessage().contains("activationBackwardFromInput"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- log-softmax

    @Test
    void logSoftmaxMatchesReference() {
        for (Shape s : TestData.SHAPES) {
            float[] xv = TestData.uniform(TestData.seed("log_softmax", s), s.size(), -10, 10);
            double[] ref = ReferenceMath.logSoftmax(toDouble(xv), s.rows(), s.cols());
            // x - max - lse: measured against the size of its terms.
            double[] scale = TestData.abs(ref);
            for (int i = 0; i < scale.length; i++) {
                scale[i] = Math.max(scale[i], Math.abs(xv[i]) + 10);
            }
            Tensor x = upload(s, xv);
            Tensor y = poisoned(s);
            backend.logSoftmax(x, y);
            assertMatches("logSoftmax at " + s, y.toArray(), ref, scale, ROUNDING * 4);
            backend.logSoftmax(x, x);
            assertMatches("logSoftmax in place at " + s, x.toArray(), ref, scale, ROUNDING * 4);
        }
    }

    @Test
    void logSoftmaxAtExtremesAndNaN() {
        float[] xv = {1e4f, -1e4f, 0f, 88f, -88f, 20f, // row 0: finite, a logit 2e4 below the maximum
            1f, Float.NaN, 2f, 3f, 4f, 5f,            // row 1: NaN makes the row NaN
            -100f, -100f, -100f, -100f, -100f, -100f};  // row 2: all equal, ln(1/6)
        Shape s = Shape.of(3, 6);
        double[] ref = ReferenceMath.logSoftmax(toDouble(xv), 3, 6);
        Tensor y = poisoned(s);
        backend.logSoftmax(upload(s, xv), y);
        double[] scale = TestData.abs(ref);
        assertEachMatches("logSoftmax of +-1e4, NaN, equal rows", y.toArray(), ref, scale, ROUNDING * 4);
    }

    // ---------------------------------------------------------------- focal loss with alpha

    @Test
    void balancedFocalLossMatchesReference() {
        for (Shape s : TestData.SHAPES) {
            long seed = TestData.seed("focal", s);
            float[] p = TestData.uniform(seed, s.size(), 0.001f, 0.999f);
            float[] t = TestData.choices(seed + 1, s.size(), 0f, 1f, 0.3f);
            for (float[] ga : new float[][] {{2f, 0.25f}, {0f, 0.6f}, {1.5f, 1f}}) {
                Tensor loss = poisoned(s);
                Tensor grad = poisoned(s);
                backend.elementLoss(ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED, ga[0], ga[1], 0.5f, upload(s, p),
                        upload(s, t), loss, grad);
                ReferenceMath.LossAndGradient ref = ReferenceMath.elementLoss(
                        ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED, ga[0], ga[1], 0.5, toDouble(p), toDouble(t));
                String what = "focal gamma=" + ga[0] + " alpha=" + ga[1] + " at " + s;
                assertMatches(what + ": loss", loss.toArray(), ref.loss(), 2 * TRANSCENDENTAL);
                assertMatches(what + ": grad", grad.toArray(), ref.grad(), 4 * TRANSCENDENTAL);
            }
        }
    }

    @Test
    void focalLossRejectsBadParameters() {
        Shape s = Shape.of(2, 2);
        Tensor a = upload(s, new float[] {0.5f, 0.5f, 0.5f, 0.5f});
        Tensor b = upload(s, new float[] {1, 0, 1, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.elementLoss(
                ElementLoss.BINARY_FOCAL_CROSSENTROPY, -1f, 0.5f, a, b, poisoned(s), poisoned(s)));
        assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> backend.elementLoss(
                ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED, 2f, 1.5f, 0.5f, a, b, poisoned(s), poisoned(s)));
        assertTrue(e.getMessage().contains("alpha") && e.getMessage().contains("1.5"), e.getMessage());
    }

    // ---------------------------------------------------------------- row losses

    /** Rows that do not sum to 1, with some elements 0 (clipped after the renormalisation). */
    private static float[][] rowInputs(RowLoss kind, long seed, Shape s) {
        int n = s.size();
        float[] p = kind == RowLoss.COSINE_SIMILARITY ? TestData.uniform(seed, n, -2f, 2f)
                : TestData.uniform(seed, n, 0.01f, 1.5f);
        float[] t = kind == RowLoss.COSINE_SIMILARITY ? TestData.uniform(seed + 1, n, -2f, 2f)
                : TestData.choices(seed + 1, n, 0f, 1f, 0f, 0.25f);
        if (kind == RowLoss.CATEGORICAL_CROSSENTROPY) {
            for (int i = 3; i < n; i += 5) {
                p[i] = 0f;
            }
        }
        return new float[][] {p, t};
    }

    private static double[][] rowScale(RowLoss kind, Shape s, float[] p, float[] t, ReferenceMath.LossAndGradient r) {
        double[] loss = TestData.abs(r.loss());
        double[] grad = TestData.abs(r.grad());
        int cols = s.cols();
        for (int row = 0; row < s.rows(); row++) {
            double sp = 0;
            double st = 0;
            for (int j = 0; j < cols; j++) {
                sp += Math.abs(p[row * cols + j]);
                st += Math.abs(t[row * cols + j]);
            }
            for (int j = 0; j < cols; j++) {
                int i = row * cols + j;
                // The gradient's terms: -t/p and sum(t)/S (cross-entropy), t and the margin's parts (hinge),
                // n(t) and L n(p) (cosine), each up to what the row's sums make of them.
                double terms = switch (kind) {
                    case CATEGORICAL_CROSSENTROPY -> (p[i] == 0 ? 0 : Math.abs(t[i] / p[i])) + st / sp;
                    case CATEGORICAL_HINGE -> 1 + st;
                    case COSINE_SIMILARITY -> 2 / Math.max(Math.sqrt(sp * sp / cols), 1e-7);
                };
                if (Double.isFinite(sp)) {
                    grad[i] = Math.max(grad[i], 0.5 * terms);
                    loss[i] = Math.max(loss[i], kind == RowLoss.CATEGORICAL_HINGE ? 0.5 * (1 + sp + st) : 0);
                }
            }
        }
        return new double[][] {loss, grad};
    }

    @ParameterizedTest
    @EnumSource(RowLoss.class)
    void rowLossMatchesReference(RowLoss kind) {
        for (Shape s : TestData.SHAPES) {
            float[][] in = rowInputs(kind, TestData.seed(kind.name(), s), s);
            Tensor loss = poisoned(s);
            Tensor grad = poisoned(s);
            Tensor p = upload(s, in[0]);
            Tensor t = upload(s, in[1]);
            backend.rowLoss(kind, 0.5f, p, t, loss, grad);
            ReferenceMath.LossAndGradient ref = KerasReference.rowLoss(kind, 0.5, toDouble(in[0]), toDouble(in[1]),
                    s.rows(), s.cols());
            double[][] scale = rowScale(kind, s, in[0], in[1], ref);
            String what = "rowLoss " + kind + " at " + s;
            assertMatches(what + ": loss", loss.toArray(), ref.loss(), scale[0], TRANSCENDENTAL);
            assertMatches(what + ": grad", grad.toArray(), ref.grad(), scale[1], TRANSCENDENTAL);
            assertMatches(what + ": pred unchanged", p.toArray(), toDouble(in[0]), 0);
        }
    }

    @ParameterizedTest
    @EnumSource(RowLoss.class)
    void rowLossAtEdgesAndNaN(RowLoss kind) {
        // Row 0: ordinary; row 1: NaN in the prediction (the row is NaN); row 2: a zero prediction row
        // (cosine's clamped norm; cross-entropy's 0/0 is NaN, as in Keras); row 3: large values.
        float[] p = {0.2f, 0.5f, 0.3f, 0.1f, Float.NaN, 0.4f, 0f, 0f, 0f, 1e4f, 3e3f, 1f};
        float[] t = {0f, 1f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f};
        Shape s = Shape.of(4, 3);
        Tensor loss = poisoned(s);
        Tensor grad = poisoned(s);
        backend.rowLoss(kind, 1f, upload(s, p), upload(s, t), loss, grad);
        ReferenceMath.LossAndGradient ref = KerasReference.rowLoss(kind, 1, toDouble(p), toDouble(t), 4, 3);
        double[][] scale = rowScale(kind, s, p, t, ref);
        assertEachMatches("rowLoss " + kind + " at the edges: loss", loss.toArray(), ref.loss(), scale[0], TRANSCENDENTAL);
        assertEachMatches("rowLoss " + kind + " at the edges: grad", grad.toArray(), ref.grad(), scale[1], TRANSCENDENTAL);
    }

    @Test
    void rowLossRejectsOverlapsAndShapes() {
        Shape s = Shape.of(2, 3);
        Tensor p = upload(s, new float[] {0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f});
        Tensor t = upload(s, new float[] {0, 1, 0, 1, 0, 0});
        Tensor l = poisoned(s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.rowLoss(RowLoss.CATEGORICAL_CROSSENTROPY, 1f, p, t, l, l));
        assertTrue(e.getMessage().contains("'loss'") && e.getMessage().contains("'grad'"), e.getMessage());
        Tensor bad = poisoned(Shape.of(3, 2));
        e = assertThrows(IllegalArgumentException.class,
                () -> backend.rowLoss(RowLoss.COSINE_SIMILARITY, 1f, p, bad, l, poisoned(s)));
        assertTrue(e.getMessage().contains("'target'") && e.getMessage().contains("[2 x 3]"), e.getMessage());
    }
}
