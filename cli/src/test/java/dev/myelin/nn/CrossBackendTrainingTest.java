package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The same seeded three-step training run on every backend that can run here ends with the same
 * weights: initial weights come from the host, dropout masks and shuffling from seeds, so only float32
 * rounding differs.
 */
class CrossBackendTrainingTest {

    private static final int BATCH = 16;

    @Test
    void threeStepsGiveTheSameWeightsOnEveryBackend() {
        List<String> names = Backends.availableNames();
        Assumptions.assumeTrue(names.size() >= 2, "needs two available backends to compare, found " + names
                + ":\n" + Backends.describe());
        Map<String, List<FloatMatrix>> weights = new LinkedHashMap<>();
        Map<String, Double> losses = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(3);
        FloatMatrix x = random(3 * BATCH, 20, r);
        float[] labels = new float[3 * BATCH];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(4);
        }
        FloatMatrix y = new FloatMatrix(labels.length, 1, labels);
        for (String name : names) {
            try (Backend backend = Backends.open(name);
                    Sequential model = Sequential.of(backend, new Dense(32, "relu"), new Dropout(0.25f),
                            new Dense(16, "tanh"), new Dense(4, "softmax")).seed(11)) {
                // SGD with momentum: an adaptive optimizer turns a gradient that is zero up to rounding
                // into a full step of either sign, which would compare rounding noise, not the backends.
                model.input(20).compile(new SGD(0.1f, 0.9f, true), Loss.sparseCategoricalCrossentropy(), "accuracy");
                History h = model.fit(x, y, new FitOptions().epochs(1).batchSize(BATCH).verbose(0));
                assertEquals(3, model.iterations());
                weights.put(name, model.getWeights());
                losses.put(name, h.last("loss"));
            }
        }
        String first = names.get(0);
        for (String name : names.subList(1, names.size())) {
            assertEquals(losses.get(first), losses.get(name), 1e-5, "loss on " + first + " and " + name);
            List<FloatMatrix> a = weights.get(first);
            List<FloatMatrix> b = weights.get(name);
            double worst = 0;
            for (int p = 0; p < a.size(); p++) {
                for (int i = 0; i < a.get(p).data().length; i++) {
                    worst = Math.max(worst, Math.abs(a.get(p).data()[i] - b.get(p).data()[i]));
                }
            }
            assertTrue(worst <= 1e-5, "largest weight difference between " + first + " and " + name + ": " + worst);
        }
    }

    private static FloatMatrix random(int rows, int cols, SplittableRandom r) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(rows, cols, d);
    }

}
