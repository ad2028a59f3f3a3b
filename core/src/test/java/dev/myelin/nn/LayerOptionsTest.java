package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dense without a bias and frozen layers (Keras's {@code use_bias=False}, {@code trainable=False}). */
class LayerOptionsTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void denseWithoutBiasIsAPlainMatrixProductAndRoundTripsItsConfig() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        FloatMatrix x = GradientCheckTest.random(11, 3, r, 1);
        FloatMatrix y = GradientCheckTest.random(11, 2, r, 1);
        try (Sequential model = Sequential.of(backend, new Dense(2).useBias(false)).input(3)) {
            model.compile(new SGD(), Loss.meanSquaredError());
            List<FloatMatrix> w = model.getWeights();
            assertEquals(1, w.size(), "kernel only");
            assertEquals(6, model.countParams());
            FloatMatrix p = model.predict(x);
            for (int i = 0; i < 11; i++) {
                for (int j = 0; j < 2; j++) {
                    double dot = 0;
                    for (int k = 0; k < 3; k++) {
                        dot += (double) x.get(i, k) * w.get(0).get(k, j);
                    }
                    assertEquals(dot, p.get(i, j), 1e-5);
                }
            }
            double before = model.evaluate(x, y).get("loss");
            model.fit(x, y, new FitOptions().batchSize(4).epochs(20).verbose(0));
            assertTrue(model.evaluate(x, y).get("loss") < before, "trains without a bias");
            String json = model.toJson();
            assertTrue(json.contains("\"use_bias\": false"), json);
            try (Sequential copy = Sequential.fromJson(json, backend)) {
                assertFalse(((Dense) copy.layers().get(0)).useBias());
            }
        }
    }

    @Test
    void frozenLayerKeepsItsWeightsAndIsCountedAsNonTrainable() {
        SplittableRandom r = new SplittableRandom(4);
        FloatMatrix x = GradientCheckTest.random(16, 3, r, 1);
        FloatMatrix y = GradientCheckTest.random(16, 2, r, 1);
        Dense frozen = new Dense(4, "relu");
        frozen.trainable(false);
        try (Sequential model = Sequential.of(backend, frozen, new Dense(2)).input(3)) {
            model.compile(new Adam(), Loss.meanSquaredError());
            List<FloatMatrix> before = model.getWeights();
            model.fit(x, y, new FitOptions().batchSize(4).epochs(5).verbose(0));
            List<FloatMatrix> after = model.getWeights();
            assertArrayEquals(before.get(0).data(), after.get(0).data(), "frozen kernel unchanged");
            assertArrayEquals(before.get(1).data(), after.get(1).data(), "frozen bias unchanged");
            assertFalse(java.util.Arrays.equals(before.get(2).data(), after.get(2).data()), "trainable kernel moved");
            assertEquals(2, model.computeGradients(x, y).size(), "gradients of the trainable layer only");
            String summary = model.summary();
            assertTrue(summary.contains("Trainable params: 10"), summary);
            assertTrue(summary.contains("Non-trainable params: 16"), summary);
        }
    }
}
