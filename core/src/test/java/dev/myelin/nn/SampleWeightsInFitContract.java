package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keras's {@code sample_weight} and {@code class_weight} inside fit and evaluate on a backend: each sample's
 * loss and gradient are scaled by its weight, the batch loss is the weighted sum over the batch size
 * ("sum_over_batch_size"), the compiled metrics stay unweighted, and class weights are the sample weights of
 * each sample's class. A backend module runs it by naming its backend.
 */
public abstract class SampleWeightsInFitContract {

    private Backend backend;

    /** The backend under test; closed after each test. */
    protected abstract Backend createBackend();

    @BeforeEach
    void open() {
        backend = createBackend();
    }

    @AfterEach
    void close() {
        assertEquals(0, backend.liveTensors(), "every tensor is freed when the models close");
        backend.close();
    }

    private Sequential model(String loss, float learningRate) {
        Sequential m = Sequential.of(backend, new Dense(5, "tanh"), new Dense(3, "softmax")).seed(11);
        m.input(2).compile(new SGD(learningRate), Loss.of(loss), "accuracy");
        return m;
    }

    private static float[] weights(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.25f + (i % 7) * 0.5f;
        }
        return w;
    }

    private static FitOptions plain() {
        return new FitOptions().epochs(2).batchSize(8).verbose(0);
    }

    @Test
    void weightsOfOneTrainExactlyAsNoWeights() {
        FloatMatrix[] d = TrainingTest.blobs(30, 3, 3);
        float[] ones = new float[30];
        Arrays.fill(ones, 1f);
        try (Sequential a = model("sparse_categorical_crossentropy", 0.1f);
                Sequential b = model("sparse_categorical_crossentropy", 0.1f)) {
            History ha = a.fit(d[0], d[1], plain());
            History hb = b.fit(d[0], d[1], plain().sampleWeight(ones));
            assertEquals(ha.get("loss"), hb.get("loss"));
            assertEquals(a.namedWeights(), b.namedWeights());
        }
    }

    @Test
    void doubledWeightsDoubleTheGradientExactly() {
        // SGD steps w - lr * (2 g) and w - (2 lr) * g are the same floats: scaling by 2 is exact.
        FloatMatrix[] d = TrainingTest.blobs(30, 3, 4);
        float[] twos = new float[30];
        Arrays.fill(twos, 2f);
        try (Sequential a = model("sparse_categorical_crossentropy", 0.2f);
                Sequential b = model("sparse_categorical_crossentropy", 0.1f)) {
            History ha = a.fit(d[0], d[1], plain());
            History hb = b.fit(d[0], d[1], plain().sampleWeight(twos));
            assertEquals(a.namedWeights(), b.namedWeights());
            assertNotEquals(ha.get("loss"), hb.get("loss"));
        }
    }

    @Test
    void weightedLossIsTheWeightedSumOverTheSampleCountAndMetricsStayUnweighted() {
        FloatMatrix[] d = TrainingTest.blobs(21, 3, 5);
        float[] w = weights(21);
        try (Sequential m = model("sparse_categorical_crossentropy", 0.1f)) {
            m.fit(d[0], d[1], plain());
            Map<String, Double> plainLogs = m.evaluate(d[0], d[1], 4);
            Map<String, Double> weighted = m.evaluate(d[0], d[1], w, 4);
            FloatMatrix p = m.predict(d[0]);
            double sum = 0;
            double weightSum = 0;
            for (int i = 0; i < 21; i++) {
                // Keras's sparse categorical cross-entropy of probabilities, clipped at 1e-7.
                double prob = Math.min(Math.max(p.get(i, (int) d[1].get(i, 0)), 1e-7), 1 - 1e-7);
                sum += w[i] * -Math.log(prob);
                weightSum += w[i];
            }
            double expected = sum / 21;
            assertEquals(expected, weighted.get("loss"), 1e-5 * Math.abs(expected), "Keras divides by the samples");
            assertNotEquals(sum / weightSum, weighted.get("loss"), 1e-3 * Math.abs(expected));
            assertEquals(plainLogs.get("accuracy"), weighted.get("accuracy"), "compiled metrics are not weighted");
        }
    }

    @Test
    void classWeightsAreTheSampleWeightsOfEachSamplesClass() {
        FloatMatrix[] d = TrainingTest.blobs(24, 3, 6);
        Map<Integer, Double> byClass = Map.of(0, 0.5, 2, 3.0); // class 1 is missing: weight 1
        float[] w = new float[24];
        for (int i = 0; i < 24; i++) {
            int c = (int) d[1].get(i, 0);
            w[i] = c == 0 ? 0.5f : c == 2 ? 3f : 1f;
        }
        FloatMatrix oneHot = new FloatMatrix(24, 3, new float[72]);
        for (int i = 0; i < 24; i++) {
            oneHot.set(i, (int) d[1].get(i, 0), 1f);
        }
        try (Sequential bySample = model("sparse_categorical_crossentropy", 0.1f);
                Sequential sparse = model("sparse_categorical_crossentropy", 0.1f);
                Sequential categorical = model("categorical_crossentropy", 0.1f)) {
            bySample.fit(d[0], d[1], plain().sampleWeight(w));
            sparse.fit(d[0], d[1], plain().classWeight(byClass));
            categorical.fit(d[0], oneHot, plain().classWeight(byClass));
            assertEquals(bySample.namedWeights(), sparse.namedWeights());
            List<FloatMatrix> a = bySample.getWeights();
            List<FloatMatrix> b = categorical.getWeights();
            for (int i = 0; i < a.size(); i++) {
                float[] x = a.get(i).data();
                float[] y = b.get(i).data();
                for (int k = 0; k < x.length; k++) {
                    assertEquals(x[k], y[k], 1e-5f, "one-hot labels give the same class weights");
                }
            }
        }
    }

    @Test
    void validationDataWithWeightsWeightsTheValidationLoss() {
        FloatMatrix[] d = TrainingTest.blobs(30, 3, 7);
        FloatMatrix[] v = TrainingTest.blobs(12, 3, 8);
        float[] vw = weights(12);
        try (Sequential m = model("sparse_categorical_crossentropy", 0.1f)) {
            History h = m.fit(d[0], d[1], plain().epochs(1).validationData(v[0], v[1], vw));
            Map<String, Double> e = m.evaluate(v[0], v[1], vw, 8);
            assertEquals(e.get("loss"), h.last("val_loss"), 1e-6 * Math.abs(e.get("loss")));
        }
    }

    @Test
    void validationSplitHoldsOutTheSampleWeightsWithTheSamples() {
        FloatMatrix[] d = TrainingTest.blobs(40, 3, 9);
        float[] w = weights(40);
        try (Sequential m = model("sparse_categorical_crossentropy", 0.1f)) {
            History h = m.fit(d[0], d[1], plain().epochs(1).validationSplit(0.25).sampleWeight(w));
            Map<String, Double> e = m.evaluate(d[0].rowRange(30, 40), d[1].rowRange(30, 40),
                    Arrays.copyOfRange(w, 30, 40), 8);
            assertEquals(e.get("loss"), h.last("val_loss"), 1e-6 * Math.abs(e.get("loss")));
        }
    }

    @Test
    void badWeightsAreRefusedBeforeTraining() {
        FloatMatrix[] d = TrainingTest.blobs(10, 3, 10);
        try (Sequential m = model("sparse_categorical_crossentropy", 0.1f)) {
            IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> m.fit(d[0], d[1],
                    plain().sampleWeight(new float[10]).classWeight(Map.of(0, 2.0))));
            assertTrue(both.getMessage().contains("'class_weight' and 'sample_weight'"), both.getMessage());
            IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(d[0], d[1], plain().sampleWeight(new float[9])));
            assertTrue(length.getMessage().contains("one weight per sample (10), got 9"), length.getMessage());
            float[] nan = new float[10];
            nan[3] = Float.NaN;
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> new FitOptions().sampleWeight(nan));
            assertTrue(bad.getMessage().contains("NaN for sample 3"), bad.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new FitOptions().classWeight(Map.of(-1, 1.0)));
            assertEquals(0, m.iterations(), "nothing trained");
        }
    }

    @Test
    void trainOnBatchWithWeightsIsOneUnshuffledWeightedStepOfFit() {
        FloatMatrix[] d = TrainingTest.blobs(12, 3, 11);
        float[] w = weights(12);
        try (Sequential a = model("sparse_categorical_crossentropy", 0.1f);
                Sequential b = model("sparse_categorical_crossentropy", 0.1f)) {
            double loss = a.trainOnBatch(d[0], d[1], w);
            History h = b.fit(d[0], d[1], new FitOptions().batchSize(12).shuffle(false).verbose(0).sampleWeight(w));
            assertEquals(a.namedWeights(), b.namedWeights());
            assertEquals(h.last("loss"), loss, 1e-6 * Math.abs(loss));
        }
    }
}
