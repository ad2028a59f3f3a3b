package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.Tensor;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer's first steps on a fixed gradient sequence against the Keras 3 update written out here
 * in float64, independently of the fused kernels and the host coefficients.
 */
class OptimizerTest {

    private static final int STEPS = 6;
    private static final double[] W0 = {0.5, -1.25, 2.0, 0.0, -0.3, 1e-3};
    /** Gradient of element i at step t; includes gradients of 1e-8 and a sign change. */
    private static final double[][] G = {
            {0.1, -0.2, 1e-8, 0.5, -1e-8, 3.0},
            {0.05, 0.3, 1e-8, -0.5, -1e-8, 2.0},
            {-0.1, 0.25, 1e-8, 0.4, 1e-8, -1.0},
            {0.2, -0.1, 1e-8, 0.0, -1e-8, 0.5},
            {0.0, 0.0, 1e-8, -0.2, -1e-8, 0.25},
            {-0.3, 0.2, 1e-8, 0.1, 1e-8, -0.125}};

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    /** A Keras update rule in float64: updates w in place for step t (1-based) with gradient g. */
    interface KerasRule {
        void step(int t, double[] w, double[] g);
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", (Supplier<Optimizer>) SGD::new, (Supplier<KerasRule>) () -> sgd(0.01)),
                Arguments.of("sgd momentum", (Supplier<Optimizer>) () -> new SGD(0.05f, 0.9f, false),
                        (Supplier<KerasRule>) () -> momentum(0.05, 0.9, false)),
                Arguments.of("sgd nesterov", (Supplier<Optimizer>) () -> new SGD(0.05f, 0.9f, true),
                        (Supplier<KerasRule>) () -> momentum(0.05, 0.9, true)),
                Arguments.of("rmsprop", (Supplier<Optimizer>) RMSprop::new,
                        (Supplier<KerasRule>) () -> rmsprop(0.001, 0.9, 0, 1e-7, false)),
                Arguments.of("rmsprop centered momentum",
                        (Supplier<Optimizer>) () -> new RMSprop(0.01f, 0.8f, 0.5f, 1e-7f, true),
                        (Supplier<KerasRule>) () -> rmsprop(0.01, 0.8, 0.5, 1e-7, true)),
                Arguments.of("adagrad", (Supplier<Optimizer>) Adagrad::new,
                        (Supplier<KerasRule>) () -> adagrad(0.001, 0.1, 1e-7)),
                Arguments.of("adadelta", (Supplier<Optimizer>) () -> new Adadelta(1.0f),
                        (Supplier<KerasRule>) () -> adadelta(1.0, 0.95, 1e-7)),
                Arguments.of("adam", (Supplier<Optimizer>) Adam::new,
                        (Supplier<KerasRule>) () -> adam(0.001, 0.9, 0.999, 1e-7)),
                Arguments.of("adam lr 0.1", (Supplier<Optimizer>) () -> new Adam(0.1f),
                        (Supplier<KerasRule>) () -> adam(0.1, 0.9, 0.999, 1e-7)),
                Arguments.of("adamax", (Supplier<Optimizer>) Adamax::new,
                        (Supplier<KerasRule>) () -> adamax(0.001, 0.9, 0.999, 1e-7)),
                Arguments.of("nadam", (Supplier<Optimizer>) Nadam::new,
                        (Supplier<KerasRule>) () -> nadam(0.001, 0.9, 0.999, 1e-7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void firstStepsMatchKeras(String name, Supplier<Optimizer> optimizer, Supplier<KerasRule> keras) {
        Optimizer opt = optimizer.get();
        KerasRule rule = keras.get();
        double[] expected = W0.clone();
        try (Tensor w = backend.tensor(1, W0.length, floats(W0)); Tensor g = backend.tensor(1, W0.length)) {
            Parameter p = new Parameter("w", w, g, null);
            p.initSlots(opt);
            for (int t = 1; t <= STEPS; t++) {
                g.copyFrom(floats(G[t - 1]));
                opt.apply(new Parameter[] {p}, t - 1);
                rule.step(t, expected, G[t - 1]);
                float[] actual = w.toArray();
                for (int i = 0; i < W0.length; i++) {
                    double moved = Math.abs(expected[i] - W0[i]);
                    // float32 weights and coefficients: relative 1e-6 of the weight, 1e-4 of the distance moved.
                    double tolerance = 1e-6 * Math.max(1e-3, Math.abs(expected[i])) + 1e-4 * moved + 1e-12;
                    assertEquals(expected[i], actual[i], tolerance, name + " step " + t + " element " + i);
                }
            }
            p.release();
        }
    }

    @Test
    void kerasDefaults() {
        assertEquals(0.01f, new SGD().learningRate());
        assertEquals(0.001f, new RMSprop().learningRate());
        assertEquals(0.001f, new Adagrad().learningRate());
        assertEquals(0.001f, new Adadelta().learningRate());
        assertEquals(0.001f, new Adam().learningRate());
        assertEquals(0.001f, new Adamax().learningRate());
        assertEquals(0.001f, new Nadam().learningRate());
        assertTrue(Optimizer.of("Adam") instanceof Adam);
        assertEquals(0.5f, Optimizer.of("sgd").learningRate(0.5f).learningRate());
    }

    @Test
    void kerasOptionDefaultsAndConflicts() {
        Optimizer adam = new Adam();
        assertEquals(GradientClip.NONE, adam.clip());
        assertEquals(0f, adam.weightDecay());
        assertEquals(0.99f, adam.emaMomentum());
        assertEquals(0.004f, new AdamW().weightDecay());
        assertEquals(0.001f, new AdamW().learningRate());
        assertTrue(Optimizer.of("adamw") instanceof AdamW);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD().clipnorm(1f).clipvalue(0.5f));
        assertTrue(e.getMessage().contains("only one of") && e.getMessage().contains("clipvalue=0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD().globalClipnorm(-1f));
        assertTrue(e.getMessage().contains("global_clipnorm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD().emaMomentum(1.5f));
        assertTrue(e.getMessage().contains("ema_momentum"), e.getMessage());
        // The README's example chain.
        Optimizer opt = new AdamW(1e-3f, 0.01f).globalClipnorm(1f).useEma(true)
                .learningRate(new dev.myelin.nn.schedules.CosineDecay(0.0, 1000, 0.0, 1e-3, 100));
        assertEquals(GradientClip.GLOBAL_NORM, opt.clip());
        assertEquals(0f, opt.learningRate());
        // A schedule is evaluated at the iteration count: step 0 before the first update.
        Optimizer sgd = new SGD().learningRate(new dev.myelin.nn.schedules.ExponentialDecay(0.2, 1, 0.5));
        assertEquals(0.2f, sgd.learningRate());
        sgd.beginStep(3);
        assertEquals(0.025f, sgd.learningRate());
    }

    @Test
    void invalidHyperparameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(-0.1f));
        assertTrue(e.getMessage().contains("learning_rate") && e.getMessage().contains("-0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(0.001f, 1.5f, 0.999f, 1e-7f));
        assertTrue(e.getMessage().contains("beta_1") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1f, -0.5f, false));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("-0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.of("adamw2"));
        assertTrue(e.getMessage().contains("optimizer") && e.getMessage().contains("adamw2"), e.getMessage());
    }

    // ---------------------------------------------------------------- Keras 3 rules in float64

    static KerasRule sgd(double lr) {
        return (t, w, g) -> {
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * g[i];
            }
        };
    }

    static KerasRule momentum(double lr, double mu, boolean nesterov) {
        double[] m = new double[W0.length];
        return (t, w, g) -> {
            for (int i = 0; i < w.length; i++) {
                m[i] = mu * m[i] - lr * g[i];
                w[i] += nesterov ? mu * m[i] - lr * g[i] : m[i];
            }
        };
    }

    static KerasRule rmsprop(double lr, double rho, double mu, double eps, boolean centered) {
        double[] v = new double[W0.length];
        double[] avg = new double[W0.length];
        double[] m = new double[W0.length];
        return (t, w, g) -> {
            for (int i = 0; i < w.length; i++) {
                v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                double denominator;
                if (centered) {
                    avg[i] = rho * avg[i] + (1 - rho) * g[i];
                    denominator = v[i] - avg[i] * avg[i] + eps;
                } else {
                    denominator = v[i] + eps;
                }
                double increment = lr * g[i] / Math.sqrt(denominator);
                if (mu > 0) {
                    m[i] = mu * m[i] + increment;
                    w[i] -= m[i];
                } else {
                    w[i] -= increment;
                }
            }
        };
    }

    static KerasRule adagrad(double lr, double initial, double eps) {
        double[] acc = new double[W0.length];
        java.util.Arrays.fill(acc, initial);
        return (t, w, g) -> {
            for (int i = 0; i < w.length; i++) {
                acc[i] += g[i] * g[i];
                w[i] -= lr * g[i] / Math.sqrt(acc[i] + eps);
            }
        };
    }

    static KerasRule adadelta(double lr, double rho, double eps) {
        double[] accGrad = new double[W0.length];
        double[] accDelta = new double[W0.length];
        return (t, w, g) -> {
            for (int i = 0; i < w.length; i++) {
                accGrad[i] = rho * accGrad[i] + (1 - rho) * g[i] * g[i];
                double delta = -Math.sqrt(accDelta[i] + eps) / Math.sqrt(accGrad[i] + eps) * g[i];
                accDelta[i] = rho * accDelta[i] + (1 - rho) * delta * delta;
                w[i] += lr * delta;
            }
        };
    }

    static KerasRule adam(double lr, double b1, double b2, double eps) {
        double[] m = new double[W0.length];
        double[] v = new double[W0.length];
        return (t, w, g) -> {
            double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < w.length; i++) {
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                w[i] -= alpha * m[i] / (Math.sqrt(v[i]) + eps);
            }
        };
    }

    static KerasRule adamax(double lr, double b1, double b2, double eps) {
        double[] m = new double[W0.length];
        double[] u = new double[W0.length];
        return (t, w, g) -> {
            for (int i = 0; i < w.length; i++) {
                m[i] += (g[i] - m[i]) * (1 - b1);
                u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
                w[i] -= lr * m[i] / ((1 - Math.pow(b1, t)) * (u[i] + eps));
            }
        };
    }

    static KerasRule nadam(double lr, double b1, double b2, double eps) {
        double[] m = new double[W0.length];
        double[] v = new double[W0.length];
        double[] product = {1.0};
        return (t, w, g) -> {
            double ut = b1 * (1 - 0.5 * Math.pow(0.96, t));
            double ut1 = b1 * (1 - 0.5 * Math.pow(0.96, t + 1));
            product[0] *= ut;
            double productNext = product[0] * ut1;
            for (int i = 0; i < w.length; i++) {
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                double mHat = ut1 * m[i] / (1 - productNext) + (1 - ut) * g[i] / (1 - product[0]);
                double vHat = v[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        };
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** A config names the rule it rebuilds; one it cannot rebuild is an error, never another rule. */
    @Test
    void fromConfigRebuildsItsRuleAndRefusesOneItCannot() {
        assertEquals("nadam", Optimizer.fromConfig("nadam", java.util.Map.of()).name());
        assertEquals("adam", Optimizer.fromConfig("adam", java.util.Map.of()).name());
        Optimizer adamw = Optimizer.fromConfig("adamw", java.util.Map.of());
        assertEquals("adamw", adamw.name());
        assertEquals(0.004f, adamw.weightDecay(), "AdamW's own default weight decay");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.fromConfig("lion", java.util.Map.of()));
        assertTrue(e.getMessage().contains("lion"), e.getMessage());
    }
}
