package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchNormalization} and {@link LayerNormalization} on a backend against a float64 reference of Keras
 * 3's formulas: the training-mode output, the moving-statistics update, the inference-mode output (which must
 * use the moving statistics) and the gradients, these also against central finite differences of the float64
 * forward formula (so the backward formula is checked independently of how it is written). A frozen batch
 * normalization runs in inference mode. A backend module runs it by naming its backend.
 */
public abstract class NormalizationLayersContract {

    /** Float32 against float64 on O(1) values: a few roundings, and sums over a batch. */
    static final double TOLERANCE = 2e-5;

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

    static double[] random(int n, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static void assertClose(String what, double[] ref, float[] out, double rtol) {
        assertEquals(ref.length, out.length, what + ": length");
        double err = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            err += (out[i] - ref[i]) * (out[i] - ref[i]);
            norm += ref[i] * ref[i];
        }
        double rel = Math.sqrt(err) / Math.max(Math.sqrt(norm), 1e-30);
        if (!(rel <= rtol)) {
            fail(String.format(Locale.ROOT, "%s: relative error %.3e exceeds %.1e", what, rel, rtol));
        }
    }

    /** Keras's formula in float64: {@code gamma (x - mean) / sqrt(var + eps) + beta}, statistics per column or row. */
    static double[] normalize(double[] x, int rows, int cols, double[] mean, double[] var, boolean perColumn,
            double[] gamma, double[] beta, double eps) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int s = perColumn ? c : r;
                y[r * cols + c] = gamma[c] * (x[r * cols + c] - mean[s]) / Math.sqrt(var[s] + eps) + beta[c];
            }
        }
        return y;
    }

    /** {@code {mean, biased variance}} of each column or row, in float64. */
    static double[][] moments(double[] x, int rows, int cols, boolean perColumn) {
        int m = perColumn ? cols : rows;
        int n = perColumn ? rows : cols;
        double[] mean = new double[m];
        double[] var = new double[m];
        for (int i = 0; i < x.length; i++) {
            mean[perColumn ? i % cols : i / cols] += x[i] / n;
        }
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean[perColumn ? i % cols : i / cols];
            var[perColumn ? i % cols : i / cols] += d * d / n;
        }
        return new double[][] {mean, var};
    }

    /** The training-mode forward of batch (per column) or layer (per row) normalization, float64. */
    static double[] trainingForward(double[] x, int rows, int cols, boolean perColumn, double[] gamma, double[] beta,
            double eps) {
        double[][] m = moments(x, rows, cols, perColumn);
        return normalize(x, rows, cols, m[0], m[1], perColumn, gamma, beta, eps);
    }

    /** Central differences of {@code sum(dy * f(v))} with respect to each element of {@code v}, in float64. */
    static double[] numericGradient(double[] v, double[] dy, Function<double[], double[]> f) {
        double[] g = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double h = 1e-6 * Math.max(1, Math.abs(v[i]));
            double keep = v[i];
            v[i] = keep + h;
            double up = dot(dy, f.apply(v));
            v[i] = keep - h;
            double down = dot(dy, f.apply(v));
            v[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** A pass of a training step (or inference), as the model makes one. */
    static Layer.Pass pass(boolean training) {
        Layer.Pass p = new Layer.Pass();
        p.training = training;
        p.needInputGradient = true;
        return p;
    }

    /** A built one-layer model holding {@code layer} with random gamma and beta. */
    private Sequential oneLayer(AffineNormalization<?> layer, int cols) {
        layer.initializers(new Initializer.RandomUniform(-0.5f, 0.5f), new Initializer.RandomUniform(0.5f, 1.5f));
        Sequential m = Sequential.of(backend, layer).seed(11);
        m.input(cols).build(cols);
        return m;
    }

    private static double[] values(Parameter p) {
        float[] f = p.value().toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Forward and backward of one batch through {@code layer} in training mode; checks them against float64. */
    private void checkTrainingStep(AffineNormalization<?> layer, boolean perColumn, int rows, int cols, long seed) {
        try (Sequential m = oneLayer(layer, cols)) {
            double[] gamma = values(layer.gamma);
            double[] beta = values(layer.beta);
            double[] x = random(rows * cols, seed, -2, 3);
            double[] dy = random(rows * cols, seed + 1, -1, 1);
            Layer.Frame f = layer.frame(rows);
            try {
                Tensor xt = backend.tensor(rows, cols, floats(x));
                Tensor y = layer.forward(f, xt, pass(true));
                double eps = layer.epsilon();
                assertClose(layer.type() + " training output", trainingForward(x, rows, cols, perColumn, gamma, beta, eps),
                        y.toArray(), TOLERANCE);
                Tensor dyt = backend.tensor(rows, cols, floats(dy));
                Tensor dx = layer.backward(f, dyt, pass(true));
                assertClose(layer.type() + " dx", numericGradient(x, dy,
                        v -> trainingForward(v, rows, cols, perColumn, gamma, beta, eps)), dx.toArray(), 1e-4);
                assertClose(layer.type() + " dgamma", numericGradient(gamma, dy,
                        g -> trainingForward(x, rows, cols, perColumn, g, beta, eps)), layer.gamma.gradient().toArray(), 1e-4);
                assertClose(layer.type() + " dbeta", numericGradient(beta, dy,
                        b -> trainingForward(x, rows, cols, perColumn, gamma, b, eps)), layer.beta.gradient().toArray(), 1e-4);
                xt.close();
                dyt.close();
            } finally {
                f.release();
            }
        }
    }

    @Test
    void batchNormalizationTrainingStepMatchesKerasInFloat64() {
        checkTrainingStep(new BatchNormalization(), true, 16, 5, 3);
        checkTrainingStep(new BatchNormalization(), true, 2, 33, 5);
    }

    @Test
    void layerNormalizationMatchesKerasInFloat64() {
        checkTrainingStep(new LayerNormalization(), false, 6, 9, 7);
        checkTrainingStep(new LayerNormalization(), false, 3, 64, 9);
    }

    @Test
    void batchNormalizationUpdatesTheMovingStatisticsAsKeras() {
        BatchNormalization bn = new BatchNormalization();
        int rows = 12;
        int cols = 4;
        try (Sequential m = oneLayer(bn, cols)) {
            List<Parameter> w = bn.weights();
            assertEquals(List.of("batch_normalization/gamma", "batch_normalization/beta",
                    "batch_normalization/moving_mean", "batch_normalization/moving_variance"),
                    w.stream().map(Parameter::name).toList());
            double[] movingMean = values(w.get(2));
            double[] movingVar = values(w.get(3));
            assertArrayEquals(new double[] {0, 0, 0, 0}, movingMean);
            assertArrayEquals(new double[] {1, 1, 1, 1}, movingVar);
            Layer.Frame f = bn.frame(rows);
            try {
                for (int step = 0; step < 3; step++) {
                    double[] x = random(rows * cols, 40 + step, -1, 4);
                    Tensor xt = backend.tensor(rows, cols, floats(x));
                    bn.forward(f, xt, pass(true));
                    double[][] batch = moments(x, rows, cols, true);
                    for (int c = 0; c < cols; c++) {
                        movingMean[c] = movingMean[c] * 0.99 + batch[0][c] * (1 - 0.99);
                        movingVar[c] = movingVar[c] * 0.99 + batch[1][c] * (1 - 0.99);
                    }
                    assertClose("moving_mean after step " + step, movingMean, w.get(2).value().toArray(), TOLERANCE);
                    assertClose("moving_variance after step " + step, movingVar, w.get(3).value().toArray(), TOLERANCE);
                    // Inference uses the moving statistics, and leaves them as they are.
                    Tensor y = bn.forward(f, xt, pass(false));
                    assertClose("inference output", normalize(x, rows, cols, movingMean, movingVar, true,
                            values(w.get(0)), values(w.get(1)), 1e-3), y.toArray(), TOLERANCE);
                    assertClose("moving_mean after inference", movingMean, w.get(2).value().toArray(), TOLERANCE);
                    xt.close();
                }
            } finally {
                f.release();
            }
        }
    }

    /**
     * After training a Dense-BN-Dense network, predict equals the float64 formula with the moving statistics
     * read from the model (and not with the statistics of the predicted batch).
     */
    @Test
    void predictUsesTheMovingStatistics() {
        int n = 64;
        double[] xv = random(n * 5, 21, -1, 1);
        double[] yv = random(n * 2, 22, -1, 1);
        FloatMatrix x = new FloatMatrix(n, 5, floats(xv));
        FloatMatrix y = new FloatMatrix(n, 2, floats(yv));
        try (Sequential m = Sequential.of(backend, new Dense(6, "tanh"), new BatchNormalization(),
                new Dense(2)).seed(3)) {
            m.input(5).compile(new Adam(0.01f), Loss.meanSquaredError());
            m.fit(x, y, new FitOptions().epochs(3).batchSize(16).verbose(0));
            List<FloatMatrix> w = m.getWeights();
            double[] h = dense(xv, n, 5, w.get(0), w.get(1), true);
            double[] norm = normalize(h, n, 6, row(w.get(4)), row(w.get(5)), true, row(w.get(2)), row(w.get(3)), 1e-3);
            double[] out = dense(norm, n, 6, w.get(6), w.get(7), false);
            assertClose("predict", out, m.predict(x).data(), TOLERANCE);
            // The check can fail: the batch's own statistics give another output.
            double[][] batch = moments(h, n, 6, true);
            double[] withBatch = dense(normalize(h, n, 6, batch[0], batch[1], true, row(w.get(2)), row(w.get(3)), 1e-3),
                    n, 6, w.get(6), w.get(7), false);
            double diff = 0;
            for (int i = 0; i < out.length; i++) {
                diff = Math.max(diff, Math.abs(withBatch[i] - out[i]));
            }
            assertTrue(diff > 1e-2, "the batch statistics would give another output: " + diff);
        }
    }

    static double[] row(FloatMatrix m) {
        double[] d = new double[m.cols()];
        for (int c = 0; c < d.length; c++) {
            d[c] = m.get(0, c);
        }
        return d;
    }

    static double[] dense(double[] x, int rows, int in, FloatMatrix kernel, FloatMatrix bias, boolean tanh) {
        int out = kernel.cols();
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double s = bias.get(0, j);
                for (int k = 0; k < in; k++) {
                    s += x[r * in + k] * kernel.get(k, j);
                }
                y[r * out + j] = tanh ? Math.tanh(s) : s;
            }
        }
        return y;
    }

    /**
     * Frozen after compile: as in Keras, the mode changes at once (inference statistics) while the optimizer
     * keeps its list until the next compile, so gamma and beta still get real gradients, never stale ones.
     */
    @Test
    void batchNormalizationFrozenAfterCompileStillHandsTheOptimizerRealGradients() {
        int n = 16;
        FloatMatrix x = new FloatMatrix(n, 3, floats(random(n * 3, 41, -1, 3)));
        FloatMatrix y = new FloatMatrix(n, 1, floats(random(n, 42, -1, 1)));
        BatchNormalization bn = new BatchNormalization();
        try (Sequential m = Sequential.of(backend, new Dense(3, "relu"), bn, new Dense(1)).seed(6)) {
            m.input(3).compile(new SGD(0.1f), Loss.meanSquaredError());
            bn.trainable(false);
            List<FloatMatrix> before = m.getWeights();
            m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(0));
            List<FloatMatrix> after = m.getWeights();
            for (FloatMatrix w : after) {
                for (float v : w.data()) {
                    assertTrue(Float.isFinite(v), "a weight became " + v);
                }
            }
            assertEquals(before.get(4), after.get(4), "the moving mean stays (inference mode)");
            assertTrue(!before.get(2).equals(after.get(2)), "gamma is still trained until the next compile");
        }
    }

    /** Keras 3: a frozen BatchNormalization runs in inference mode; its weights and statistics do not move. */
    @Test
    void frozenBatchNormalizationRunsInInferenceMode() {
        int n = 32;
        FloatMatrix x = new FloatMatrix(n, 4, floats(random(n * 4, 31, -1, 3)));
        FloatMatrix y = new FloatMatrix(n, 1, floats(random(n, 32, -1, 1)));
        BatchNormalization bn = new BatchNormalization();
        try (Sequential m = Sequential.of(backend, new Dense(4, "relu"), bn, new Dense(1)).seed(5)) {
            m.input(4).build(4);
            bn.trainable(false);
            m.compile(new SGD(0.1f), Loss.meanSquaredError());
            List<FloatMatrix> before = m.getWeights();
            m.fit(x, y, new FitOptions().epochs(2).batchSize(8).verbose(0));
            List<FloatMatrix> after = m.getWeights();
            for (int i = 2; i < 6; i++) {
                assertEquals(before.get(i), after.get(i), "frozen weight " + i + " unchanged");
            }
            assertTrue(!before.get(0).equals(after.get(0)), "the Dense layers still train");
            // Training-mode forward of the frozen layer equals its inference formula.
            Layer.Frame f = bn.frame(n);
            try (Tensor xt = backend.tensor(n, 4, x.data())) {
                double[] xd = new double[n * 4];
                for (int i = 0; i < xd.length; i++) {
                    xd[i] = x.data()[i];
                }
                Tensor out = bn.forward(f, xt, pass(true));
                assertClose("frozen forward", normalize(xd, n, 4, row(after.get(4)), row(after.get(5)), true,
                        row(after.get(2)), row(after.get(3)), 1e-3), out.toArray(), TOLERANCE);
            } finally {
                f.release();
            }
        }
    }
}
