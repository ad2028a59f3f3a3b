package dev.myelin.nn;

import static dev.myelin.nn.NormalizationLayersContract.assertClose;
import static dev.myelin.nn.NormalizationLayersContract.floats;
import static dev.myelin.nn.NormalizationLayersContract.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GaussianNoise} and {@link Normalization} on a backend against their Keras formulas, and the four
 * normalization layers inside whole models: a model file keeps their config and every weight (moving
 * statistics included), a resumed run continues bit for bit, and {@code summary()} counts their parameters
 * as Keras does. A backend module runs it by naming its backend.
 */
public abstract class NormalizationModelContract {

    /** The backend under test; closed after each test. */
    protected Backend backend;

    /** A new instance of the backend under test. */
    protected abstract Backend createBackend();

    @BeforeEach
    void open() {
        backend = createBackend();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    // ---------------------------------------------------------------- GaussianNoise

    /** The training output of {@code noise} for rows {@code [firstRow, firstRow + rows)} of {@code x} at {@code step}. */
    private float[] noisy(GaussianNoise noise, float[] x, int rows, int cols, long step, long firstRow) {
        Layer.Pass p = NormalizationLayersContract.pass(true);
        p.step = step;
        p.firstRow = firstRow;
        Layer.Frame f = noise.frame(rows);
        try (Tensor xt = backend.tensor(rows, cols, x)) {
            return noise.forward(f, xt, p).toArray();
        } finally {
            f.release();
        }
    }

    @Test
    void gaussianNoiseAddsCounterBasedNormalNoiseInTrainingOnly() {
        int rows = 8;
        int cols = 5;
        float[] x = floats(random(rows * cols, 3, -1, 1));
        GaussianNoise noise = new GaussianNoise(0.3f);
        try (Sequential m = Sequential.of(backend, noise).seed(9)) {
            m.input(cols).build(cols);
            FloatMatrix in = new FloatMatrix(rows, cols, x);
            assertEquals(in, m.predict(in), "inference is the identity");
            float[] y = noisy(noise, x, rows, cols, 4, 0);
            long s = CounterRandom.streamSeed(noise.seed(), 4);
            double[] ref = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                ref[i] = x[i] + 0.3 * CounterRandom.normal(s, i);
            }
            assertClose("x + noise", ref, y, 1e-5);
            assertArrayEquals(y, noisy(noise, x, rows, cols, 4, 0), "the same step draws the same noise");
            assertNotEquals(java.util.Arrays.toString(y), java.util.Arrays.toString(noisy(noise, x, rows, cols, 5, 0)),
                    "another step draws other noise");
            // A batch split in two draws, part by part, the noise of the whole batch.
            float[] top = noisy(noise, java.util.Arrays.copyOfRange(x, 0, 3 * cols), 3, cols, 4, 0);
            float[] bottom = noisy(noise, java.util.Arrays.copyOfRange(x, 3 * cols, x.length), rows - 3, cols, 4, 3);
            float[] joined = new float[x.length];
            System.arraycopy(top, 0, joined, 0, top.length);
            System.arraycopy(bottom, 0, joined, top.length, bottom.length);
            assertArrayEquals(y, joined, "split batch");
        }
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-0.1f));
        assertEquals(0.3f, GaussianNoise.fromConfig(noise.config()).stddev());
    }

    // ---------------------------------------------------------------- Normalization

    @Test
    void normalizationAdaptsAndNormalizesAsKeras() {
        int rows = 50;
        double[] data = random(rows * 3, 5, -4, 9);
        for (int r = 0; r < rows; r++) {
            data[r * 3 + 2] = 7.25; // a constant feature: variance 0, divided by Keras's epsilon 1e-7
        }
        Normalization norm = new Normalization().adapt(new FloatMatrix(rows, 3, floats(data)));
        try (Sequential m = Sequential.of(backend, norm, new Dense(2)).seed(1)) {
            m.input(3).compile(new SGD(0.01f), Loss.meanSquaredError());
            double[] mean = new double[3];
            double[] var = new double[3];
            for (int i = 0; i < data.length; i++) {
                mean[i % 3] += data[i] / rows;
            }
            for (int i = 0; i < data.length; i++) {
                var[i % 3] += (data[i] - mean[i % 3]) * (data[i] - mean[i % 3]) / rows;
            }
            List<FloatMatrix> w = m.getWeights();
            assertClose("adapted mean", mean, w.get(0).data(), 1e-6);
            assertClose("adapted variance", new double[] {var[0], var[1]}, new float[] {w.get(1).data()[0],
                    w.get(1).data()[1]}, 1e-6);
            assertEquals(0f, w.get(1).data()[2]);
            float[] xs = floats(random(4 * 3, 6, -5, 10));
            Layer.Frame f = norm.frame(4);
            try (Tensor xt = backend.tensor(4, 3, xs)) {
                float[] y = norm.forward(f, xt, NormalizationLayersContract.pass(false)).toArray();
                double[] ref = new double[y.length];
                for (int i = 0; i < y.length; i++) {
                    float v = w.get(1).data()[i % 3];
                    ref[i] = (xs[i] - (double) w.get(0).data()[i % 3]) / Math.max(Math.sqrt(v), 1e-7);
                }
                assertClose("(x - mean) / max(sqrt(var), 1e-7)", ref, y, 1e-5);
            } finally {
                f.release();
            }
            // Adapting a built layer checks the width and replaces the weights.
            assertThrows(IllegalArgumentException.class, () -> norm.adapt(new FloatMatrix(2, 4, new float[8])));
            norm.adapt(new FloatMatrix(2, 3, new float[] {1, 2, 3, 3, 4, 5}));
            assertArrayEquals(new float[] {2, 3, 4}, m.getWeights().get(0).data());
        }
        assertThrows(IllegalArgumentException.class, () -> new Normalization().adapt(new FloatMatrix(1, 2,
                new float[] {1, Float.NaN})));
    }

    @Test
    void invertedNormalizationMapsBackAsKeras() {
        float[] mean = {2.5f, -1f, 7.25f, 0f};
        float[] var = {4f, 0.09f, 0f, Float.NaN};
        Normalization inv = new Normalization(mean, new float[] {4f, 0.09f, 0f, 1f}).invert(true);
        assertTrue(inv.inverted());
        try (Sequential m = Sequential.of(backend, inv).seed(1)) {
            m.input(4).build(4);
            m.setWeights(List.of(new FloatMatrix(1, 4, mean), new FloatMatrix(1, 4, var)));
            int rows = 6;
            float[] xs = floats(random(rows * 4, 8, -3, 3));
            xs[1] = Float.POSITIVE_INFINITY;
            Layer.Frame f = inv.frame(rows);
            try (Tensor xt = backend.tensor(rows, 4, xs); Tensor dy = backend.tensor(rows, 4, xs)) {
                float[] y = inv.forward(f, xt, NormalizationLayersContract.pass(false)).toArray();
                double[] ref = new double[12];
                float[] finite = new float[12];
                for (int i = 0; i < y.length; i++) {
                    int c = i % 4;
                    double want = mean[c] + xs[i] * Math.max(Math.sqrt(var[c]), 1e-7);
                    if (c == 3) {
                        assertTrue(Float.isNaN(y[i]), "a NaN variance gives NaN, element " + i + ": " + y[i]);
                    } else if (i == 1) {
                        assertEquals(Float.POSITIVE_INFINITY, y[i], "x = +Inf maps to +Inf");
                    } else if (c < 3 && i / 4 < 3) {
                        ref[(i / 4) * 4 + c] = want;
                        finite[(i / 4) * 4 + c] = y[i];
                    }
                }
                assertClose("mean + x * max(sqrt(var), 1e-7)", ref, finite, 1e-6);
                assertEquals(7.25f + xs[6] * 1e-7f, y[6], 2e-6f, "variance 0 multiplies by Keras's epsilon");
                float[] dx = inv.backward(f, dy, NormalizationLayersContract.pass(false)).toArray();
                assertEquals(xs[0] * 2f, dx[0], 1e-5f, "dx = dy * max(sqrt(var), 1e-7)");
                assertEquals(xs[5] * 0.3f, dx[5], 1e-5f);
            } finally {
                f.release();
            }
        }
        // The inverse of the standardization gives the input back, and the config keeps invert.
        float[] x = floats(random(5 * 3, 9, -10, 10));
        float[] mu = {1f, -2f, 30f};
        float[] v = {9f, 0.25f, 100f};
        Normalization back = new Normalization(mu, v).invert(true);
        try (Sequential m = Sequential.of(backend, new Normalization(mu, v), back)) {
            m.input(3).build(3);
            double[] want = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                want[i] = x[i];
            }
            assertClose("invert(normalize(x))", want, m.predict(new FloatMatrix(5, 3, x)).data(), 1e-6);
            Map<String, Object> c = back.config();
            assertEquals(true, c.get("invert"));
            Normalization again = (Normalization) Layers.fromConfig("Normalization", c);
            assertTrue(again.inverted());
            assertEquals(c, again.config());
        }
        assertThrows(IllegalStateException.class, () -> back.invert(false), "set before the model is built");
    }

    @Test
    void normalizationWithGivenStatisticsAndItsErrors() {
        Normalization given = new Normalization(new float[] {3f}, new float[] {2f});
        try (Sequential m = Sequential.of(backend, given)) {
            FloatMatrix y = m.input(2).predict(new FloatMatrix(2, 2, new float[] {1, 2, 3, 5}));
            assertArrayEquals(new float[] {(float) (-2 / Math.sqrt(2)), (float) (-1 / Math.sqrt(2)), 0f,
                    (float) (2 / Math.sqrt(2))}, y.data(), 1e-6f);
            Map<String, Object> c = given.config();
            assertEquals(List.of(3.0), c.get("mean"));
            Normalization back = (Normalization) Layers.fromConfig("Normalization", c);
            assertEquals(c, back.config());
        }
        Normalization adapted = new Normalization().adapt(new FloatMatrix(2, 3, new float[6]));
        try (Sequential m = Sequential.of(backend, adapted)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.input(4).build(4));
            assertTrue(e.getMessage().contains("3 features") && e.getMessage().contains("4 inputs"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Normalization.fromConfig(Map.of("invert", "yes")));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[] {1, 2}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[] {1}, new float[] {-1}));
    }

    // ---------------------------------------------------------------- models

    static Sequential net(Backend backend) {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        Sequential m = Sequential.of(backend, new Normalization().adapt(d[0]), new Dense(12, "relu"),
                new BatchNormalization(), new GaussianNoise(0.1f), new Dense(8, "tanh"), new LayerNormalization(),
                new Dense(3, "softmax")).seed(21);
        m.input(5).compile(new Adam(0.01f), Loss.sparseCategoricalCrossentropy(), "accuracy");
        return m;
    }

    @Test
    void aModelFileKeepsTheLayersAndResumesBitForBit(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        Path file = dir.resolve("model.myelin");
        FitOptions two = new FitOptions().epochs(2).batchSize(16).verbose(0);
        try (Sequential uninterrupted = net(backend); Sequential first = net(backend)) {
            uninterrupted.fit(d[0], d[1], new FitOptions().epochs(4).batchSize(16).verbose(0));
            first.fit(d[0], d[1], two);
            first.save(file);
            try (Sequential loaded = Sequential.load(file, backend)) {
                assertEquals(first.toJson(), loaded.toJson());
                assertEquals(first.namedWeights(), loaded.namedWeights(), "every weight, moving statistics included");
                assertTrue(loaded.namedWeights().containsKey("batch_normalization/moving_variance"));
                assertEquals(first.predict(d[0]), loaded.predict(d[0]));
                loaded.fit(d[0], d[1], two);
                assertEquals(uninterrupted.namedWeights(), loaded.namedWeights(), "resumed run, bit for bit");
            }
        }
    }

    @Test
    void configsRoundTripWithKerasKeys() {
        BatchNormalization bn = new BatchNormalization().momentum(0.9f).epsilon(1e-5f).center(false).name("bn");
        Map<String, Object> c = bn.config();
        assertEquals(0.9f, ((Number) c.get("momentum")).floatValue());
        assertEquals(false, c.get("center"));
        assertEquals("ones", c.get("moving_variance_initializer"));
        assertEquals(c, Layers.fromConfig("BatchNormalization", c).config());
        LayerNormalization ln = new LayerNormalization().scale(false);
        assertEquals(ln.config(), Layers.fromConfig("LayerNormalization", ln.config()).config());
        assertEquals(1e-3f, ((Number) ln.config().get("epsilon")).floatValue());
        assertThrows(IllegalArgumentException.class, () -> LayerNormalization.fromConfig(Map.of("rms_scaling", true)));
        assertThrows(IllegalArgumentException.class, () -> BatchNormalization.fromConfig(Map.of("axis", 1)));
        BatchNormalization.fromConfig(Map.of("axis", java.util.List.of(-1)));
        Normalization.fromConfig(Map.of("axis", java.util.List.of(-1)));
        // -1.5 truncates to -1 as an int; it is no axis and must be refused, as by every normalization layer.
        assertThrows(IllegalArgumentException.class, () -> Normalization.fromConfig(Map.of("axis", -1.5)));
        assertThrows(IllegalArgumentException.class, () -> Normalization.fromConfig(Map.of("axis", java.util.List.of(0))));
        assertThrows(IllegalArgumentException.class, () -> new BatchNormalization().momentum(1.5f));
    }

    /** Keras: BatchNormalization over 64 features holds 256 parameters, 128 of them non-trainable. */
    @Test
    void summaryCountsTheirParametersAsKeras() {
        BatchNormalization bn = new BatchNormalization();
        try (Sequential m = Sequential.of(backend, new Dense(64, "relu"), bn, new Dense(32, "relu"),
                new BatchNormalization(), new Dense(10, "softmax"), new LayerNormalization().center(false))) {
            m.input(784).build(784);
            assertEquals(256, bn.countParams());
            long trainable = bn.weights().stream().filter(Parameter::trainable).mapToLong(Parameter::size).sum();
            assertEquals(128, trainable);
            String s = m.summary();
            assertTrue(s.contains("batch_normalization (BatchNormalization)"), s);
            // 50,240 + 256 + 2,080 + 128 + 330 + 10 (gamma only)
            assertTrue(s.contains("Total params: 53,044"), s);
            assertTrue(s.contains("Non-trainable params: 192"), s);
            assertSame(bn, m.layers().get(1));
        }
    }
}
