package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.nn.schedules.CosineDecay;
import dev.myelin.nn.schedules.ExponentialDecay;
import dev.myelin.nn.schedules.LearningRateSchedule;
import dev.myelin.spi.Backend;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras 3's optimizer options (clipping, decoupled weight decay, EMA, amsgrad, schedules) over several
 * steps of two parameters, against {@code BaseOptimizer.apply} written out here in float64. A backend
 * module runs it by naming its backend.
 */
public abstract class OptimizerOptionsContract {

    private static final int STEPS = 7;
    private static final double[][] W0 = {{0.5, -1.25, 2.0, 0.0, -0.3, 1e-3}, {0.75, -0.5, 0.1}};
    /** Gradients of both parameters at step t: large enough that every clipping threshold below acts. */
    private static final double[][][] G = {
            {{0.1, -0.2, 1e-8, 0.5, -1e-8, 3.0}, {0.4, -0.1, 0.2}},
            {{0.05, 0.3, 1e-8, -0.5, -1e-8, 2.0}, {-0.3, 0.2, 0.0}},
            {{-0.1, 0.25, 1e-8, 0.4, 1e-8, -1.0}, {0.05, 0.05, -0.6}},
            {{0.2, -0.1, 1e-8, 0.0, -1e-8, 0.5}, {0.1, -0.1, 0.1}},
            {{0.0, 0.0, 1e-8, -0.2, -1e-8, 0.25}, {0.0, 0.3, -0.2}},
            {{-0.3, 0.2, 1e-8, 0.1, 1e-8, -0.125}, {0.2, 0.0, 0.01}},
            {{0.01, -0.02, 1e-8, 0.03, 1e-8, -0.04}, {0.02, -0.01, 0.3}}};

    private Backend backend;

    /** The backend under test; closed after each test. */
    protected abstract Backend createBackend();

    @BeforeEach
    void open() {
        backend = createBackend();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    /** Keras's options in float64: what BaseOptimizer.apply does around the rule. */
    record Keras(LearningRateSchedule lr, String clip, double clipAt, double weightDecay, double l1, double l2,
            double emaMomentum, int emaOverwrite, Rule rule) {
    }

    /** One update of one tensor by a Keras rule, for step t (1-based) at learning rate lr. */
    interface Rule {
        void step(int tensor, int t, double lr, double[] w, double[] g);
    }

    static Stream<Arguments> cases() {
        LearningRateSchedule fixed01 = k -> 0.1;
        LearningRateSchedule fixed001 = k -> 0.01;
        return Stream.of(
                Arguments.of("sgd clipnorm", (Supplier<Optimizer>) () -> new SGD(0.1f).clipnorm(0.3f),
                        new Keras(fixed01, "norm", 0.3, 0, 0, 0, -1, 0, sgd(0))),
                Arguments.of("sgd momentum clipvalue", (Supplier<Optimizer>) () -> new SGD(0.1f, 0.9f, false)
                        .clipvalue(0.15f), new Keras(fixed01, "value", 0.15, 0, 0, 0, -1, 0, sgd(0.9))),
                Arguments.of("adam global_clipnorm", (Supplier<Optimizer>) () -> new Adam(0.1f).globalClipnorm(0.5f),
                        new Keras(fixed01, "global", 0.5, 0, 0, 0, -1, 0, adam(false))),
                Arguments.of("rmsprop weight_decay", (Supplier<Optimizer>) () -> new RMSprop(0.01f).weightDecay(0.5f),
                        new Keras(fixed001, "none", 0, 0.5, 0, 0, -1, 0, rmsprop())),
                Arguments.of("adamw", (Supplier<Optimizer>) () -> new AdamW(0.1f, 0.004f),
                        new Keras(fixed01, "none", 0, 0.004, 0, 0, -1, 0, adam(false))),
                Arguments.of("adam amsgrad", (Supplier<Optimizer>) () -> new Adam(0.1f).amsgrad(true),
                        new Keras(fixed01, "none", 0, 0, 0, 0, -1, 0, adam(true))),
                Arguments.of("adamw amsgrad clipnorm with l1 l2 penalties",
                        (Supplier<Optimizer>) () -> new AdamW(0.1f, 0.01f).amsgrad(true).clipnorm(0.2f),
                        new Keras(fixed01, "norm", 0.2, 0.01, 0.01, 0.05, -1, 0, adam(true))),
                Arguments.of("sgd global_clipnorm with penalties",
                        (Supplier<Optimizer>) () -> new SGD(0.1f).globalClipnorm(0.4f),
                        new Keras(fixed01, "global", 0.4, 0, 0.02, 0.1, -1, 0, sgd(0))),
                Arguments.of("sgd use_ema", (Supplier<Optimizer>) () -> new SGD(0.1f).useEma(true).emaMomentum(0.9f),
                        new Keras(fixed01, "none", 0, 0, 0, 0, 0.9, 0, sgd(0))),
                Arguments.of("adam use_ema overwrite every 3",
                        (Supplier<Optimizer>) () -> new Adam(0.1f).useEma(true).emaOverwriteFrequency(3),
                        new Keras(fixed01, "none", 0, 0, 0, 0, 0.99, 3, adam(false))),
                Arguments.of("sgd exponential decay", (Supplier<Optimizer>) () -> new SGD()
                        .learningRate(new ExponentialDecay(0.2, 2, 0.5)),
                        new Keras(new ExponentialDecay(0.2, 2, 0.5), "none", 0, 0, 0, 0, -1, 0, sgd(0))),
                Arguments.of("adamw cosine decay with warm-up", (Supplier<Optimizer>) () -> new AdamW()
                        .learningRate(new CosineDecay(0.0, 4, 0.1, 0.2, 3)),
                        new Keras(new CosineDecay(0.0, 4, 0.1, 0.2, 3), "none", 0, 0.004, 0, 0, -1, 0, adam(false))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stepsMatchKerasBaseOptimizer(String name, Supplier<Optimizer> optimizer, Keras keras) {
        run(name, optimizer.get(), keras, (k, opt) -> { });
    }

    /**
     * A fixed rate changed between steps, as ReduceLROnPlateau and LearningRateScheduler change it, is the rate
     * of the next update (in the decoupled decay and in the rule): the same steps as a schedule of those rates.
     */
    @org.junit.jupiter.api.Test
    void aRateChangedBetweenStepsIsTheNextUpdatesRate() {
        LearningRateSchedule rates = k -> k < 3 ? (float) 0.1 : k < 5 ? (float) 0.025 : (float) 0.005;
        run("adamw with its rate set at steps 3 and 5", new AdamW(0.1f, 0.004f),
                new Keras(rates, "none", 0, 0.004, 0, 0, -1, 0, adam(false)), (k, opt) -> {
                    if (k == 3 || k == 5) {
                        opt.changeLearningRate("the test", rates.at(k));
                    }
                });
    }

    private void run(String name, Optimizer opt, Keras keras, java.util.function.BiConsumer<Integer, Optimizer> before) {
        double[][] w = {W0[0].clone(), W0[1].clone()};
        double[][] avg = {new double[W0[0].length], new double[W0[1].length]};
        Regularizer reg = keras.l1() == 0 && keras.l2() == 0 ? null
                : Regularizer.ofL1L2((float) keras.l1(), (float) keras.l2());
        Parameter[] params = new Parameter[2];
        for (int p = 0; p < 2; p++) {
            params[p] = new Parameter("p" + p, backend.tensor(1, W0[p].length, floats(W0[p])),
                    backend.tensor(1, W0[p].length), reg);
            params[p].initSlots(opt);
        }
        opt.reset();
        try {
            for (int k = 0; k < STEPS; k++) {
                for (int p = 0; p < 2; p++) {
                    params[p].gradient.copyFrom(floats(G[k][p]));
                }
                before.accept(k, opt);
                opt.apply(params, k);
                kerasStep(keras, k, w, avg);
                for (int p = 0; p < 2; p++) {
                    assertClose(name + " step " + (k + 1) + " tensor " + p, w[p], W0[p], params[p].value.toArray());
                    if (keras.emaMomentum() >= 0) {
                        float[] actual = params[p].slots[params[p].slots.length - 1].toArray();
                        assertClose(name + " step " + (k + 1) + " average of tensor " + p, avg[p], W0[p], actual);
                    }
                }
            }
            if (keras.emaMomentum() >= 0) {
                opt.finish(params, STEPS);
                for (int p = 0; p < 2; p++) {
                    assertClose(name + " after fit, tensor " + p, avg[p], W0[p], params[p].value.toArray());
                }
            }
        } finally {
            for (Parameter p : params) {
                p.release();
            }
        }
    }

    /** BaseOptimizer.apply for update k (iterations = k before it). */
    private static void kerasStep(Keras keras, int k, double[][] w, double[][] avg) {
        double lr = keras.lr().at(k);
        double[][] g = new double[2][];
        double total = 0;
        for (int p = 0; p < 2; p++) {
            g[p] = G[k][p].clone();
            for (int i = 0; i < g[p].length; i++) {
                // Keras adds the penalties to the loss, so their gradient is part of what it clips.
                g[p][i] += keras.l1() * Math.signum(w[p][i]) + 2 * keras.l2() * w[p][i];
                total += g[p][i] * g[p][i];
            }
        }
        for (int p = 0; p < 2; p++) {
            double own = 0;
            for (double x : g[p]) {
                own += x * x;
            }
            for (int i = 0; i < g[p].length; i++) {
                double c = keras.clipAt();
                g[p][i] = switch (keras.clip()) {
                    case "norm" -> g[p][i] * c / Math.max(Math.sqrt(own), c);
                    case "global" -> g[p][i] * c * Math.min(1 / Math.sqrt(total), 1 / c);
                    case "value" -> Math.min(Math.max(g[p][i], -c), c);
                    default -> g[p][i];
                };
                w[p][i] -= w[p][i] * keras.weightDecay() * lr;
            }
            keras.rule().step(p, k + 1, lr, w[p], g[p]);
            if (keras.emaMomentum() >= 0) {
                double m = k == 0 ? 0 : keras.emaMomentum();
                boolean overwrite = keras.emaOverwrite() > 0 && (k + 1) % keras.emaOverwrite() == 0;
                for (int i = 0; i < w[p].length; i++) {
                    avg[p][i] = m * avg[p][i] + (1 - m) * w[p][i];
                    if (overwrite) {
                        w[p][i] = avg[p][i];
                    }
                }
            }
        }
    }

    private static void assertClose(String what, double[] expected, double[] start, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            double moved = Math.abs(expected[i] - start[i]);
            double tolerance = 1e-6 * Math.max(1e-3, Math.abs(expected[i])) + 1e-4 * moved + 1e-12;
            assertEquals(expected[i], actual[i], tolerance, what + " element " + i);
        }
    }

    // ---------------------------------------------------------------- Keras 3 rules in float64, per tensor

    static Rule sgd(double mu) {
        double[][] m = {new double[W0[0].length], new double[W0[1].length]};
        return (p, t, lr, w, g) -> {
            for (int i = 0; i < w.length; i++) {
                if (mu == 0) {
                    w[i] -= lr * g[i];
                } else {
                    m[p][i] = mu * m[p][i] - lr * g[i];
                    w[i] += m[p][i];
                }
            }
        };
    }

    static Rule adam(boolean amsgrad) {
        double[][] m = {new double[W0[0].length], new double[W0[1].length]};
        double[][] v = {new double[W0[0].length], new double[W0[1].length]};
        double[][] vHat = {new double[W0[0].length], new double[W0[1].length]};
        return (p, t, lr, w, g) -> {
            double alpha = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            for (int i = 0; i < w.length; i++) {
                m[p][i] += (g[i] - m[p][i]) * (1 - 0.9);
                v[p][i] += (g[i] * g[i] - v[p][i]) * (1 - 0.999);
                double vi = v[p][i];
                if (amsgrad) {
                    vHat[p][i] = Math.max(vHat[p][i], vi);
                    vi = vHat[p][i];
                }
                w[i] -= alpha * m[p][i] / (Math.sqrt(vi) + 1e-7);
            }
        };
    }

    static Rule rmsprop() {
        double[][] v = {new double[W0[0].length], new double[W0[1].length]};
        return (p, t, lr, w, g) -> {
            for (int i = 0; i < w.length; i++) {
                v[p][i] = 0.9 * v[p][i] + 0.1 * g[i] * g[i];
                w[i] -= lr * g[i] / Math.sqrt(v[p][i] + 1e-7);
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
}
