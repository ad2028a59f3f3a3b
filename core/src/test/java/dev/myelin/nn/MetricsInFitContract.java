package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics inside compile, fit and evaluate on a backend: by Keras name and as objects, built-in and
 * user-defined. Each value evaluate reports is checked against the same metric called directly
 * ({@code updateState}) on the model's predictions, so the fit path (device or host) and the callable
 * path must agree. A backend module runs it by naming its backend.
 */
public abstract class MetricsInFitContract {

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

    /** A user metric: the mean of the predictions, weighted by the samples' weights. */
    static final class MeanPrediction extends Metric {
        private double sum;
        private double count;

        MeanPrediction() {
            super("mean_prediction");
        }

        @Override
        public void updateState(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
            for (int i = 0; i < yPred.data().length; i++) {
                double w = sampleWeight == null ? 1 : sampleWeight[i / yPred.cols()];
                sum += w * yPred.data()[i];
                count += w;
            }
        }

        @Override
        public double result() {
            return count == 0 ? 0 : sum / count;
        }

        @Override
        public void resetState() {
            sum = 0;
            count = 0;
        }
    }

    private static FloatMatrix[] binaryData(int n) {
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) r.nextDouble(-1, 1);
            }
            y[i] = x[i * 3] + 0.5f * x[i * 3 + 1] + 0.3f * (float) r.nextGaussian() > 0 ? 1f : 0f;
        }
        return new FloatMatrix[] {new FloatMatrix(n, 3, x), new FloatMatrix(n, 1, y)};
    }

    @Test
    void binaryMetricsByNameAndAsObjectsAgreeWithTheCallableMetrics() {
        FloatMatrix[] d = binaryData(150);
        MeanPrediction user = new MeanPrediction();
        ConfusionMatrix matrix = new ConfusionMatrix(2);
        Precision precisionAt03 = new Precision("precision_at", new double[] {0.3, 0.6}, 0, -1);
        try (Sequential model = Sequential.of(backend, new Dense(5, "tanh"), new Dense(1, "sigmoid")).seed(3)) {
            model.input(3).compile(new Adam(0.02f), Loss.binaryCrossentropy(), List.of(Metric.of("auc"),
                    Metric.of("precision"), Metric.of("true_positives"), user, matrix, precisionAt03));
            History h = model.fit(d[0], d[1], new FitOptions().epochs(3).batchSize(32).verbose(0));
            assertTrue(h.history().containsKey("auc") && h.history().containsKey("mean_prediction")
                    && h.history().containsKey("precision_at@0.3") && !h.history().containsKey("confusion_matrix"),
                    h.history().keySet().toString());
            Map<String, Double> eval = model.evaluate(d[0], d[1], 40);
            FloatMatrix pred = model.predict(d[0]);
            assertEquals(callable(new AUC(), d[1], pred), eval.get("auc"), 1e-6, "auc");
            assertEquals(callable(new Precision(), d[1], pred), eval.get("precision"), 1e-6, "precision (device)");
            assertEquals(callable(ConfusionCount.truePositives(), d[1], pred), eval.get("true_positives"), 0.0);
            assertEquals(callable(new MeanPrediction(), d[1], pred), eval.get("mean_prediction"), 1e-6, "user metric");
            Precision direct = new Precision(new double[] {0.3, 0.6}, 0, -1);
            direct.updateState(d[1], pred);
            assertEquals(direct.results()[0], eval.get("precision_at@0.3"), 1e-9);
            assertEquals(direct.results()[1], eval.get("precision_at@0.6"), 1e-9);
            // The object compile was given holds the evaluation's matrix.
            double[][] expected = ConfusionMatrix.of(d[1], pred, 2).counts();
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(expected[i], matrix.counts()[i], 0.0, "confusion matrix row " + i);
            }
            assertTrue(eval.get("auc") > 0.8, "the model learned something: auc " + eval.get("auc"));
        }
    }

    @Test
    void sparseTopKInFitAgreesWithTheCallableMetric() {
        int n = 120;
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) r.nextDouble(-1, 1);
            }
            y[i] = (x[i * 4] > 0 ? 1 : 0) + (x[i * 4 + 1] > 0 ? 2 : 0) + (x[i * 4 + 2] > 0.5 ? 3 : 0);
        }
        FloatMatrix xs = new FloatMatrix(n, 4, x);
        FloatMatrix ys = new FloatMatrix(n, 1, y);
        try (Sequential model = Sequential.of(backend, new Dense(8, "relu"), new Dense(7, "softmax")).seed(4)) {
            model.input(4).compile(new SGD(0.1f).clipnorm(1f), Loss.of("sparse_categorical_crossentropy"),
                    List.of(Metric.of("sparse_top_k_categorical_accuracy"), new SparseTopKCategoricalAccuracy("top2", 2)));
            model.fit(xs, ys, new FitOptions().epochs(2).batchSize(16).verbose(0));
            Map<String, Double> eval = model.evaluate(xs, ys);
            FloatMatrix pred = model.predict(xs);
            assertEquals(callable(new SparseTopKCategoricalAccuracy(), ys, pred),
                    eval.get("sparse_top_k_categorical_accuracy"), 1e-9);
            assertEquals(callable(new SparseTopKCategoricalAccuracy(2), ys, pred), eval.get("top2"), 1e-9);
        }
    }

    private static double callable(Metric m, FloatMatrix y, FloatMatrix pred) {
        m.updateState(y, pred);
        return m.result();
    }
}
