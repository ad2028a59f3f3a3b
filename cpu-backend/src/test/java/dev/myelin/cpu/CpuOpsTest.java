package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every non-GEMM op against a float64 reference, at shapes that split across threads and leave vector tails. */
class CpuOpsTest {

    // 2 threads so that large shapes exercise the split paths.
    private final CpuBackend cpu = new CpuBackend(2);
    static final int[][] SHAPES = {{1, 1}, {7, 33}, {128, 10}, {33, 1000}, {513, 257}};

    @AfterEach
    void close() {
        cpu.close();
    }

    static double act(Activation f, double alpha, double x) {
        double s = Activation.SELU_SCALE;
        double a = Activation.SELU_ALPHA;
        return switch (f) {
            case LINEAR -> x;
            case STEP -> x > 0 ? 1 : 0;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(x, 0);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case ELU -> x > 0 ? x : alpha * Math.expm1(x);
            case SELU -> s * (x > 0 ? x : a * Math.expm1(x));
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case EXPONENTIAL -> Math.exp(x);
            default -> throw new IllegalArgumentException(f + " is checked by KerasNumericsContract");
        };
    }

    static double deriv(Activation f, double alpha, double y) {
        double s = Activation.SELU_SCALE;
        double a = Activation.SELU_ALPHA;
        return switch (f) {
            case LINEAR -> 1;
            case STEP -> 0;
            case SIGMOID -> y * (1 - y);
            case TANH -> 1 - y * y;
            case RELU -> y > 0 ? 1 : 0;
            case LEAKY_RELU -> y > 0 ? 1 : alpha;
            case ELU -> y > 0 ? 1 : y + alpha;
            case SELU -> y > 0 ? s : y + s * a;
            case SOFTPLUS -> 1 - Math.exp(-y);
            case SOFTSIGN -> (1 - Math.abs(y)) * (1 - Math.abs(y));
            case EXPONENTIAL -> y;
            default -> throw new IllegalArgumentException(f + " is checked by KerasNumericsContract");
        };
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"LINEAR", "STEP", "SIGMOID", "TANH", "RELU", "LEAKY_RELU", "ELU",
        "SELU", "SOFTPLUS", "SOFTSIGN", "EXPONENTIAL"})
    void activationForwardAndBackward(Activation f) {
        float alpha = f.defaultAlpha();
        for (int[] s : SHAPES) {
            int n = s[0] * s[1];
            float[] x = Reference.random(n, n, -8, 8);
            Tensor tx = cpu.tensor(s[0], s[1], x);
            Tensor ty = cpu.tensor(s[0], s[1]);
            cpu.activation(f, alpha, tx, ty);
            float[] y = ty.toArray();
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = act(f, alpha, x[i]);
            }
            Reference.assertClose(f + " forward " + Arrays.toString(s), y, ref, 1e-6);
            float[] dy = Reference.random(n, n + 1, -1, 1);
            Tensor tdy = cpu.tensor(s[0], s[1], dy);
            Tensor tdx = cpu.tensor(s[0], s[1]);
            cpu.activationBackward(f, alpha, ty, tdy, tdx);
            double[] dref = new double[n];
            for (int i = 0; i < n; i++) {
                dref[i] = dy[i] * deriv(f, alpha, y[i]);
            }
            Reference.assertClose(f + " backward " + Arrays.toString(s), tdx.toArray(), dref, 1e-6);
            // in place
            cpu.activation(f, alpha, tx, tx);
            Reference.assertClose(f + " in place", tx.toArray(), ref, 1e-6);
        }
    }

    @Test
    void extremeInputsStayFinite() {
        float[] x = {1e4f, -1e4f, 88f, -88f, 0f, -0f, 100f, -100f, 1e-30f, 30f, -30f};
        Tensor tx = cpu.tensor(1, x.length, x);
        Tensor ty = cpu.tensor(1, x.length);
        for (Activation f : new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.SOFTPLUS,
            Activation.ELU, Activation.SELU, Activation.SOFTSIGN}) {
            cpu.activation(f, f.defaultAlpha(), tx, ty);
            for (float v : ty.toArray()) {
                assertFalse(Float.isNaN(v) || Float.isInfinite(v), f + " gave " + v);
            }
        }
        Tensor big = cpu.tensor(2, 20, Reference.random(40, 5, -1e4f, 1e4f));
        Tensor p = cpu.tensor(2, 20);
        cpu.softmax(big, p);
        for (float v : p.toArray()) {
            assertFalse(Float.isNaN(v) || Float.isInfinite(v), "softmax gave " + v);
        }
    }

    @Test
    void softmaxRows() {
        for (int[] s : SHAPES) {
            int n = s[0] * s[1];
            float[] x = Reference.random(n, 3 * n, -20, 20);
            Tensor tx = cpu.tensor(s[0], s[1], x);
            Tensor ty = cpu.tensor(s[0], s[1]);
            cpu.softmax(tx, ty);
            double[] ref = new double[n];
            for (int r = 0; r < s[0]; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s[1]; j++) {
                    max = Math.max(max, x[r * s[1] + j]);
                }
                double sum = 0;
                for (int j = 0; j < s[1]; j++) {
                    sum += Math.exp(x[r * s[1] + j] - max);
                }
                for (int j = 0; j < s[1]; j++) {
                    ref[r * s[1] + j] = Math.exp(x[r * s[1] + j] - max) / sum;
                }
            }
            Reference.assertClose("softmax " + Arrays.toString(s), ty.toArray(), ref, 1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void reductions(Reduction red) {
        for (int[] s : new int[][] {{1, 1}, {7, 33}, {600, 300}, {1, 100_000}, {2000, 3}}) {
            int rows = s[0];
            int cols = s[1];
            float[] x = Reference.random(rows * cols, rows + cols, -2, 3);
            Tensor tx = cpu.tensor(rows, cols, x);
            for (Axis axis : Axis.values()) {
                var os = axis.outputShape(tx.shape());
                Tensor out = cpu.tensor(os);
                cpu.reduce(red, axis, tx, out);
                double[] ref = new double[os.size()];
                Arrays.fill(ref, red == Reduction.MAX ? Double.NEGATIVE_INFINITY
                        : red == Reduction.MIN ? Double.POSITIVE_INFINITY : 0);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        int o = switch (axis) {
                            case ALL -> 0;
                            case PER_ROW -> r;
                            case PER_COLUMN -> c;
                        };
                        double v = x[r * cols + c];
                        ref[o] = switch (red) {
                            case MAX -> Math.max(ref[o], v);
                            case MIN -> Math.min(ref[o], v);
                            case SUM_ABS -> ref[o] + Math.abs(v);
                            case SUM_SQUARES -> ref[o] + v * v;
                            default -> ref[o] + v;
                        };
                    }
                }
                if (red == Reduction.MEAN) {
                    int count = rows * cols / ref.length;
                    for (int o = 0; o < ref.length; o++) {
                        ref[o] /= count;
                    }
                }
                Reference.assertClose(red + " " + axis + " " + Arrays.toString(s), out.toArray(), ref, 1e-6);
            }
        }
    }

    @Test
    void argmaxTakesFirstOnTies() {
        Tensor x = cpu.tensor(3, 4, new float[] {1, 5, 5, 2, -1, -1, -1, -1, 0, 0, 3, 3});
        Tensor out = cpu.tensor(3, 1);
        cpu.argmax(x, out);
        assertArrayEquals(new float[] {1, 0, 2}, out.toArray());
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryWithBroadcasting(BinaryOp op) {
        DoubleBinaryOperator f = switch (op) {
            case ADD -> Double::sum;
            case SUB -> (a, b) -> a - b;
            case MUL -> (a, b) -> a * b;
            case DIV -> (a, b) -> a / b;
            case MAX -> Math::max;
            case MIN -> Math::min;
            case EQUAL -> (a, b) -> a == b ? 1 : 0;
            case GREATER -> (a, b) -> a > b ? 1 : 0;
        };
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            float[] a = Reference.random(rows * cols, 7, -3, 3);
            for (int i = 0; i < a.length; i += 5) {
                a[i] = 1f;  // some equal values for EQUAL
            }
            Tensor ta = cpu.tensor(rows, cols, a);
            for (int[] bs : new int[][] {{rows, cols}, {1, cols}, {rows, 1}, {1, 1}}) {
                float[] b = Reference.random(bs[0] * bs[1], 11, 0.5f, 3);
                b[0] = 1f;
                Tensor tb = cpu.tensor(bs[0], bs[1], b);
                Tensor out = cpu.tensor(rows, cols);
                cpu.binary(op, ta, tb, out);
                double[] ref = new double[rows * cols];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        float bv = b[(bs[0] == 1 ? 0 : r) * bs[1] + (bs[1] == 1 ? 0 : c)];
                        ref[r * cols + c] = f.applyAsDouble(a[r * cols + c], bv);
                    }
                }
                Reference.assertClose(op + " b=" + Arrays.toString(bs), out.toArray(), ref, 1e-7);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 37, 300_001})
    void axpbyDoesNotReadYWhenBetaIsZero(int n) {
        float[] x = Reference.random(n, 9, -1, 1);
        float[] nan = new float[n];
        Arrays.fill(nan, Float.NaN);
        Tensor tx = cpu.tensor(1, n, x);
        Tensor ty = cpu.tensor(1, n, nan);
        cpu.axpby(2f, tx, 0f, ty);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = 2.0 * x[i];
        }
        Reference.assertClose("axpby beta=0", ty.toArray(), ref, 1e-7);
        cpu.axpby(0.5f, tx, -3f, ty);
        for (int i = 0; i < n; i++) {
            ref[i] = 0.5 * x[i] - 3 * (float) ref[i];
        }
        Reference.assertClose("axpby", ty.toArray(), ref, 1e-6);
    }

    @Test
    void randomFillAndDropoutMatchCounterRandomBitForBit() {
        int n = 100_003;
        Tensor t = cpu.tensor(1, n);
        cpu.randomFill(t, Distribution.UNIFORM, 0f, 1f, 42L);
        float[] u = t.toArray();
        for (int i = 0; i < n; i++) {
            assertEquals(CounterRandom.uniform(42L, i), u[i], "uniform element " + i);
        }
        cpu.randomFill(t, Distribution.NORMAL, 1f, 2f, 7L);
        float[] g = t.toArray();
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = 1 + 2 * (double) CounterRandom.normal(7L, i);
        }
        Reference.assertClose("normal", g, ref, 1e-7);
        float[] x = Reference.random(n, 1, -1, 1);
        Tensor tx = cpu.tensor(1, n, x);
        Tensor ty = cpu.tensor(1, n);
        cpu.dropout(0.3f, 99L, tx, ty);
        float[] y = ty.toArray();
        for (int i = 0; i < n; i++) {
            float want = CounterRandom.uniform(99L, i) >= 0.3f ? x[i] / (1f - 0.3f) : 0f;
            assertEquals(want, y[i], "dropout element " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ElementLoss.class, names = {"MSE", "MAE", "MAPE", "MSLE", "HINGE", "SQUARED_HINGE", "HUBER",
        "BINARY_CROSSENTROPY", "CATEGORICAL_CROSSENTROPY"})
    void elementLosses(ElementLoss kind) {
        int rows = 64;
        int cols = 10;
        int n = rows * cols;
        boolean prob = kind == ElementLoss.BINARY_CROSSENTROPY || kind == ElementLoss.CATEGORICAL_CROSSENTROPY;
        boolean hinge = kind == ElementLoss.HINGE || kind == ElementLoss.SQUARED_HINGE;
        float[] p = Reference.random(n, 3, prob ? 0.01f : -2f, prob ? 0.99f : 2f);
        float[] t = Reference.random(n, 4, prob ? 0f : -2f, prob ? 1f : 2f);
        if (hinge) {
            for (int i = 0; i < n; i++) {
                t[i] = t[i] > 0 ? 1 : -1;
            }
        }
        if (kind == ElementLoss.MSLE) {
            for (int i = 0; i < n; i++) {
                p[i] = Math.abs(p[i]);
                t[i] = Math.abs(t[i]);
            }
        }
        float scale = 1f / rows;
        double eps = ElementLoss.EPS;
        double d = 1.0;
        double[] lref = new double[n];
        double[] gref = new double[n];
        for (int i = 0; i < n; i++) {
            double pi = p[i];
            double ti = t[i];
            double e = pi - ti;
            double q = Math.min(Math.max(pi, eps), 1 - eps);
            double[] lg = switch (kind) {
                case MSE -> new double[] {e * e, 2 * e};
                case MAE -> new double[] {Math.abs(e), Math.signum(e)};
                case MAPE -> new double[] {100 * Math.abs(e) / Math.max(Math.abs(ti), eps),
                    100 * Math.signum(e) / Math.max(Math.abs(ti), eps)};
                case MSLE -> {
                    double lp = Math.log(Math.max(pi, eps) + 1);
                    double lt = Math.log(Math.max(ti, eps) + 1);
                    yield new double[] {(lp - lt) * (lp - lt), 2 * (lp - lt) / (pi + 1)};
                }
                case HINGE -> new double[] {Math.max(1 - ti * pi, 0), 1 - ti * pi > 0 ? -ti : 0};
                case SQUARED_HINGE -> {
                    double h = Math.max(1 - ti * pi, 0);
                    yield new double[] {h * h, -2 * ti * h};
                }
                case HUBER -> new double[] {Math.abs(e) <= d ? e * e / 2 : d * Math.abs(e) - d * d / 2,
                    Math.abs(e) <= d ? e : d * Math.signum(e)};
                case BINARY_CROSSENTROPY -> new double[] {-(ti * Math.log(q) + (1 - ti) * Math.log(1 - q)),
                    (q - ti) / (q * (1 - q))};
                case CATEGORICAL_CROSSENTROPY -> new double[] {-ti * Math.log(q), -ti / q};
                default -> throw new IllegalArgumentException(kind + " is checked by the conformance suite");
            };
            lref[i] = scale * lg[0];
            gref[i] = scale * lg[1];
        }
        Tensor tp = cpu.tensor(rows, cols, p);
        Tensor tt = cpu.tensor(rows, cols, t);
        Tensor tl = cpu.tensor(rows, cols);
        Tensor tg = cpu.tensor(rows, cols);
        cpu.elementLoss(kind, 1f, scale, tp, tt, tl, tg);
        Reference.assertClose(kind + " loss", tl.toArray(), lref, 1e-6);
        Reference.assertClose(kind + " grad", tg.toArray(), gref, 1e-6);
    }

    @ParameterizedTest
    @EnumSource(LogitsLoss.class)
    void crossEntropyWithLogits(LogitsLoss kind) {
        for (boolean clip : new boolean[] {false, true}) {
            int rows = 37;
            int cols = kind == LogitsLoss.SOFTMAX ? 13 : 1;
            int n = rows * cols;
            float[] z = Reference.random(n, 5, -6, 6);
            float[] t = new float[n];
            for (int r = 0; r < rows; r++) {
                if (kind == LogitsLoss.SOFTMAX) {
                    t[r * cols + r % cols] = 1f;
                } else {
                    t[r] = r % 2;
                }
            }
            float scale = 1f / rows;
            double[] pref = new double[n];
            double[] lref = new double[n];
            double[] gref = new double[n];
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, z[o + j]);
                }
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += Math.exp(z[o + j] - max);
                }
                for (int j = 0; j < cols; j++) {
                    double zz = z[o + j];
                    double tt = t[o + j];
                    double p = kind == LogitsLoss.SOFTMAX ? Math.exp(zz - max) / sum : 1 / (1 + Math.exp(-zz));
                    double q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
                    double l;
                    if (kind == LogitsLoss.SOFTMAX) {
                        l = clip ? -tt * Math.log(q) : -tt * (zz - max - Math.log(sum));
                    } else {
                        l = clip ? -(tt * Math.log(q) + (1 - tt) * Math.log(1 - q))
                                : Math.max(zz, 0) - zz * tt + Math.log1p(Math.exp(-Math.abs(zz)));
                    }
                    pref[o + j] = p;
                    lref[o + j] = scale * l;
                    gref[o + j] = scale * (p - tt);
                }
            }
            Tensor tz = cpu.tensor(rows, cols, z);
            Tensor tt = cpu.tensor(rows, cols, t);
            Tensor tp = cpu.tensor(rows, cols);
            Tensor tl = cpu.tensor(rows, cols);
            Tensor tg = cpu.tensor(rows, cols);
            cpu.crossEntropyWithLogits(kind, clip, scale, tz, tt, tp, tl, tg);
            Reference.assertClose(kind + " probs", tp.toArray(), pref, 1e-6);
            Reference.assertClose(kind + " loss clip=" + clip, tl.toArray(), lref, 1e-6);
            Reference.assertClose(kind + " grad", tg.toArray(), gref, 1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(UpdateRule.class)
    void optimizerUpdatesFollowTheDocumentedFormulas(UpdateRule rule) {
        for (int n : new int[] {5, 70_001}) {
            float[] w = Reference.random(n, 1, -1, 1);
            float[] g = Reference.random(n, 2, -1, 1);
            float[][] s = new float[rule.slots()][];
            for (int i = 0; i < s.length; i++) {
                s[i] = Reference.random(n, 10 + i, 0.1f, 1f);
            }
            if (rule == UpdateRule.RMSPROP) {
                // the centered denominator v - a^2 + eps must stay positive
                s[2] = Reference.random(n, 20, -0.1f, 0.1f);
            }
            float[] c = switch (rule) {
                case SGD -> new float[] {0.1f};
                case MOMENTUM, NESTEROV -> new float[] {0.1f, 0.9f};
                case RMSPROP -> new float[] {0.01f, 0.9f, 1e-7f, 0.5f, 1f};
                case ADAGRAD -> new float[] {0.01f, 1e-7f};
                case ADADELTA -> new float[] {1f, 0.95f, 1e-7f};
                case ADAM, AMSGRAD, ADAMAX -> new float[] {0.001f, 0.9f, 0.999f, 1e-7f};
                case NADAM -> new float[] {0.001f, 0.9f, 0.999f, 1e-7f, 0.5f, 0.2f, 1.5f};
            };
            float l1 = 0.01f;
            float l2 = 0.02f;
            double[] rw = new double[n];
            double[][] rs = new double[s.length][n];
            for (int i = 0; i < n; i++) {
                double wi = w[i];
                double gi = g[i] + l1 * Math.signum(wi) + 2 * l2 * wi;
                double[] sl = new double[s.length];
                for (int j = 0; j < s.length; j++) {
                    sl[j] = s[j][i];
                }
                switch (rule) {
                    case SGD -> wi -= c[0] * gi;
                    case MOMENTUM -> {
                        sl[0] = c[1] * sl[0] - c[0] * gi;
                        wi += sl[0];
                    }
                    case NESTEROV -> {
                        sl[0] = c[1] * sl[0] - c[0] * gi;
                        wi += c[1] * sl[0] - c[0] * gi;
                    }
                    case RMSPROP -> {
                        sl[0] = c[1] * sl[0] + (1 - c[1]) * gi * gi;
                        sl[2] = c[1] * sl[2] + (1 - c[1]) * gi;
                        double den = sl[0] - sl[2] * sl[2] + c[2];
                        double inc = c[0] * gi / Math.sqrt(den);
                        sl[1] = c[3] * sl[1] + inc;
                        wi -= sl[1];
                    }
                    case ADAGRAD -> {
                        sl[0] += gi * gi;
                        wi -= c[0] * gi / Math.sqrt(sl[0] + c[1]);
                    }
                    case ADADELTA -> {
                        sl[0] = c[1] * sl[0] + (1 - c[1]) * gi * gi;
                        double dv = -Math.sqrt(sl[1] + c[2]) * gi / Math.sqrt(sl[0] + c[2]);
                        sl[1] = c[1] * sl[1] + (1 - c[1]) * dv * dv;
                        wi += c[0] * dv;
                    }
                    case ADAM -> {
                        sl[0] += (1 - c[1]) * (gi - sl[0]);
                        sl[1] += (1 - c[2]) * (gi * gi - sl[1]);
                        wi -= c[0] * sl[0] / (Math.sqrt(sl[1]) + c[3]);
                    }
                    case AMSGRAD -> {
                        sl[0] += (1 - c[1]) * (gi - sl[0]);
                        sl[1] += (1 - c[2]) * (gi * gi - sl[1]);
                        sl[2] = Math.max(sl[2], sl[1]);
                        wi -= c[0] * sl[0] / (Math.sqrt(sl[2]) + c[3]);
                    }
                    case ADAMAX -> {
                        sl[0] += (1 - c[1]) * (gi - sl[0]);
                        sl[1] = Math.max(c[2] * sl[1], Math.abs(gi));
                        wi -= c[0] * sl[0] / (sl[1] + c[3]);
                    }
                    case NADAM -> {
                        sl[0] += (1 - c[1]) * (gi - sl[0]);
                        sl[1] += (1 - c[2]) * (gi * gi - sl[1]);
                        wi -= c[0] * (c[4] * sl[0] + c[5] * gi) / (Math.sqrt(c[6] * sl[1]) + c[3]);
                    }
                }
                rw[i] = wi;
                for (int j = 0; j < s.length; j++) {
                    rs[j][i] = sl[j];
                }
            }
            Tensor tw = cpu.tensor(1, n, w);
            Tensor tg = cpu.tensor(1, n, g);
            Tensor[] ts = new Tensor[s.length];
            for (int j = 0; j < s.length; j++) {
                ts[j] = cpu.tensor(1, n, s[j]);
            }
            cpu.optimizerUpdate(rule, c, l1, l2, tw, tg, ts);
            Reference.assertClose(rule + " w", tw.toArray(), rw, 1e-6);
            for (int j = 0; j < s.length; j++) {
                Reference.assertClose(rule + " slot " + j, ts[j].toArray(), rs[j], 1e-6);
            }
        }
    }
}
