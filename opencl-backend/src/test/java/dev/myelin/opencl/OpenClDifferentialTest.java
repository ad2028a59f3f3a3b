package dev.myelin.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every kernel on the OpenCL device and on the float64 {@link ReferenceBackend} with the same
 * random inputs and compares: relative error ‖out − ref‖ / ‖ref‖ within float32 accuracy. Both GEMM
 * kernels (register-blocked and local-memory tiled) run on whatever device is present, so the GPU
 * kernel is checked on PoCL too.
 */
class OpenClDifferentialTest {

    private static OpenClBackend blocked;
    private static OpenClBackend tiled;
    private static ReferenceBackend ref;
    private final SplittableRandom rnd = new SplittableRandom(7);

    @BeforeAll
    static void open() {
        blocked = OpenClTestDevice.open(Sgemm.Kind.BLOCKED);
        tiled = OpenClTestDevice.open(Sgemm.Kind.TILED);
        ref = new ReferenceBackend();
    }

    @AfterAll
    static void close() {
        for (Backend b : new Backend[] {blocked, tiled, ref}) {
            if (b != null) {
                b.close();
            }
        }
    }

    private float[] random(int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return v;
    }

    private static float[] nan(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    private static void close(float[] got, float[] want, double tol, String what) {
        assertEquals(want.length, got.length, what);
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.length; i++) {
            assertTrue(Float.isFinite(got[i]) == Float.isFinite(want[i]),
                    () -> what + ": finiteness differs at some element: " + Arrays.toString(Arrays.copyOf(got, 8)));
            if (Float.isFinite(want[i])) {
                double d = (double) got[i] - want[i];
                num += d * d;
                den += (double) want[i] * want[i];
            } else {
                assertEquals(want[i], got[i], what);
            }
        }
        double err = den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
        assertTrue(err <= tol, what + ": relative error " + err + " > " + tol);
    }

    /** Uploads the same inputs to both backends, runs {@code op} on each and compares every output. */
    private void compare(String what, double tol, float[][] inputs, int[][] shapes, int outputs,
            Consumer<Tensor[]> op, OpenClBackend cl) {
        Tensor[] a = new Tensor[inputs.length];
        Tensor[] b = new Tensor[inputs.length];
        try (var s1 = cl.scope(); var s2 = ref.scope()) {
            for (int i = 0; i < inputs.length; i++) {
                a[i] = cl.tensor(shapes[i][0], shapes[i][1], inputs[i]);
                b[i] = ref.tensor(shapes[i][0], shapes[i][1], inputs[i]);
            }
            op.accept(a);
            op.accept(b);
            for (int i = inputs.length - outputs; i < inputs.length; i++) {
                close(a[i].toArray(), b[i].toArray(), tol, what + " output " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Sgemm.Kind.class)
    void gemmEveryTransposeAndAwkwardShape(Sgemm.Kind kind) {
        OpenClBackend cl = kind == Sgemm.Kind.BLOCKED ? blocked : tiled;
        int[][] mnk = {{1, 1, 1}, {7, 5, 33}, {33, 65, 127}, {130, 70, 257}, {64, 64, 64}, {128, 256, 784},
            {1, 1000, 3}, {300, 17, 1}, {520, 33, 600}};
        float[][] ab = {{1f, 0f}, {0.5f, -1.5f}};
        for (int[] s : mnk) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                for (float[] coef : ab) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] c = coef[1] == 0 ? nan(m * n) : random(m * n, -1, 1);
                    compare("gemm " + kind + " " + m + "x" + n + "x" + k + " tA=" + ta + " tB=" + tb + " alpha="
                            + coef[0] + " beta=" + coef[1], 1e-5,
                            new float[][] {random(m * k, -1, 1), random(k * n, -1, 1), c},
                            new int[][] {ta ? new int[] {k, m} : new int[] {m, k},
                                tb ? new int[] {n, k} : new int[] {k, n}, {m, n}}, 1,
                            x -> x[0].backend().gemm(ta, tb, coef[0], x[0], x[1], coef[1], x[2]), cl);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationForwardAndBackward(Activation f) {
        int r = 33, c = 65;
        float alpha = f.defaultAlpha();
        float[] x = random(r * c, -5, 5);
        x[0] = 1e4f;
        x[1] = -1e4f;
        compare("activation " + f, 2e-6, new float[][] {x, nan(r * c)}, new int[][] {{r, c}, {r, c}}, 1,
                t -> t[0].backend().activation(f, alpha, t[0], t[1]), blocked);
        float[] y = new float[r * c];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) dev.myelin.contract.ReferenceMath.activation(f, alpha, x[i] / 1e3);
        }
        if (f.derivableFromOutput()) {
            compare("activationBackward " + f, 2e-6, new float[][] {y, random(r * c, -1, 1), nan(r * c)},
                    new int[][] {{r, c}, {r, c}, {r, c}}, 1,
                    t -> t[0].backend().activationBackward(f, alpha, t[0], t[1], t[2]), blocked);
        }
        compare("activationBackwardFromInput " + f, 2e-6, new float[][] {x, random(r * c, -1, 1), nan(r * c)},
                new int[][] {{r, c}, {r, c}, {r, c}}, 1,
                t -> t[0].backend().activationBackwardFromInput(f, alpha, t[0], t[1], t[2]), blocked);
    }

    @Test
    void softmaxAndArgmax() {
        for (int[] s : new int[][] {{1, 1}, {7, 10}, {33, 1000}, {1000, 3}}) {
            float[] x = random(s[0] * s[1], -20, 20);
            x[0] = 1e4f;
            compare("softmax " + Arrays.toString(s), 2e-6, new float[][] {x, nan(x.length)},
                    new int[][] {s, s}, 1, t -> t[0].backend().softmax(t[0], t[1]), blocked);
            compare("argmax " + Arrays.toString(s), 0, new float[][] {x, nan(s[0])},
                    new int[][] {s, {s[0], 1}}, 1, t -> t[0].backend().argmax(t[0], t[1]), blocked);
        }
    }

    @Test
    void reductionsOverEveryAxis() {
        for (int[] s : new int[][] {{1, 1}, {7, 33}, {127, 1000}, {3000, 1}}) {
            for (Reduction r : Reduction.values()) {
                for (Axis axis : Axis.values()) {
                    float[] x = random(s[0] * s[1], -1, 2);
                    var o = axis.outputShape(dev.myelin.spi.Shape.of(s[0], s[1]));
                    compare("reduce " + r + " " + axis + " " + Arrays.toString(s), 1e-5,
                            new float[][] {x, nan(o.size())}, new int[][] {s, {o.rows(), o.cols()}}, 1,
                            t -> t[0].backend().reduce(r, axis, t[0], t[1]), blocked);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryWithEveryBroadcast(BinaryOp op) {
        int r = 33, c = 17;
        for (int[] bs : new int[][] {{r, c}, {1, c}, {r, 1}, {1, 1}}) {
            float[] a = random(r * c, -2, 2);
            float[] b = random(bs[0] * bs[1], 0.5, 2);
            if (op == BinaryOp.EQUAL) {
                System.arraycopy(a, 0, b, 0, Math.min(3, b.length));
            }
            compare("binary " + op + " b=" + Arrays.toString(bs), 1e-7, new float[][] {a, b, nan(r * c)},
                    new int[][] {{r, c}, bs, {r, c}}, 1, t -> t[0].backend().binary(op, t[0], t[1], t[2]), blocked);
        }
    }

    @Test
    void axpbyFillRandomDropout() {
        int r = 33, c = 31;
        compare("axpby beta=0", 1e-7, new float[][] {random(r * c, -1, 1), nan(r * c)}, new int[][] {{r, c}, {r, c}},
                1, t -> t[0].backend().axpby(2f, t[0], 0f, t[1]), blocked);
        compare("axpby", 1e-7, new float[][] {random(r * c, -1, 1), random(r * c, -1, 1)},
                new int[][] {{r, c}, {r, c}}, 1, t -> t[0].backend().axpby(2f, t[0], -0.5f, t[1]), blocked);
        compare("fill", 0, new float[][] {nan(r * c)}, new int[][] {{r, c}}, 1,
                t -> t[0].backend().fill(t[0], 3.25f), blocked);
        compare("uniform", 0, new float[][] {nan(r * c)}, new int[][] {{r, c}}, 1,
                t -> t[0].backend().randomFill(t[0], Distribution.UNIFORM, -2f, 3f, 42L), blocked);
        compare("normal", 1e-6, new float[][] {nan(r * c)}, new int[][] {{r, c}}, 1,
                t -> t[0].backend().randomFill(t[0], Distribution.NORMAL, 1f, 0.5f, -9L), blocked);
        compare("dropout", 1e-7, new float[][] {random(r * c, -1, 1), nan(r * c)}, new int[][] {{r, c}, {r, c}}, 1,
                t -> t[0].backend().dropout(0.3f, 1234567890123L, t[0], t[1]), blocked);
    }

    @ParameterizedTest
    @EnumSource(ElementLoss.class)
    void elementLosses(ElementLoss kind) {
        int r = 17, c = 9;
        float[] p = switch (kind) {
            case BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY -> random(r * c, 0.01, 0.99);
            case MSLE -> random(r * c, 0, 3);
            default -> random(r * c, -2, 2);
        };
        float[] t = kind == ElementLoss.HINGE || kind == ElementLoss.SQUARED_HINGE ? random(r * c, -1, 1)
                : random(r * c, 0.05, 1);
        p[0] = 0f;
        compare("loss " + kind, 2e-6, new float[][] {p, t, nan(r * c), nan(r * c)},
                new int[][] {{r, c}, {r, c}, {r, c}, {r, c}}, 2,
                x -> x[0].backend().elementLoss(kind, 1f, 0.25f, x[0], x[1], x[2], x[3]), blocked);
    }

    @ParameterizedTest
    @EnumSource(LogitsLoss.class)
    void crossEntropyWithLogits(LogitsLoss kind) {
        for (boolean clip : new boolean[] {false, true}) {
            int r = 33, c = 10;
            float[] z = random(r * c, -30, 30);
            z[0] = 1e4f;
            float[] t = new float[r * c];
            for (int i = 0; i < r; i++) {
                t[i * c + rnd.nextInt(c)] = 1f;
            }
            compare("crossEntropy " + kind + " clip=" + clip, 2e-6,
                    new float[][] {z, t, nan(r * c), nan(r * c), nan(r * c)},
                    new int[][] {{r, c}, {r, c}, {r, c}, {r, c}, {r, c}}, 3,
                    x -> x[0].backend().crossEntropyWithLogits(kind, clip, 0.5f, x[0], x[1], x[2], x[3], x[4]),
                    blocked);
        }
    }

    @ParameterizedTest
    @EnumSource(UpdateRule.class)
    void optimizerUpdates(UpdateRule rule) {
        int r = 13, c = 7;
        float[] coef = new float[rule.coefficients()];
        for (int i = 0; i < coef.length; i++) {
            coef[i] = (float) (0.05 + 0.9 * rnd.nextDouble());
        }
        if (rule == UpdateRule.RMSPROP) {
            coef[4] = 1f;
        }
        float[][] in = new float[2 + rule.slots()][];
        int[][] shapes = new int[in.length][];
        in[0] = random(r * c, -1, 1);
        in[1] = random(r * c, -1, 1);
        for (int i = 0; i < in.length; i++) {
            if (i >= 2) {
                in[i] = random(r * c, 0.1, 1);
            }
            shapes[i] = new int[] {r, c};
        }
        // Every tensor is updated in place except g; compare all of them.
        compare("update " + rule, 2e-6, in, shapes, in.length, x -> x[0].backend().optimizerUpdate(rule, coef, 0.01f,
                0.02f, x[0], x[1], Arrays.copyOfRange(x, 2, x.length)), blocked);
    }
}
