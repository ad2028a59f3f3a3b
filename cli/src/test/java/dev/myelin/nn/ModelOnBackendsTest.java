package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model layer on the real backends: computeGradients then applyGradients is trainOnBatch bit for bit,
 * and predict/evaluate from many threads on one trained model equal serial calls.
 */
class ModelOnBackendsTest {

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void computeThenApplyIsTrainOnBatch(String name) {
        Assumptions.assumeTrue(Backends.availableNames().contains(name), name + " is not available here:\n"
                + Backends.describe());
        try (Backend backend = Backends.open(name); Sequential a = net(backend); Sequential b = net(backend)) {
            for (int step = 0; step < 3; step++) {
                FloatMatrix[] d = data(32, step);
                Gradients g = a.computeGradients(d[0], d[1]);
                a.applyGradients(g);
                assertEquals(b.trainOnBatch(d[0], d[1]), g.loss(), name + " step " + step + ": loss");
                assertEquals(a.namedWeights(), b.namedWeights(), name + " step " + step + ": weights, bit for bit");
            }
            assertEquals(a.optimizerState().slots(), b.optimizerState().slots(), name + ": optimizer slots");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void predictAndEvaluateFromManyThreadsEqualSerialCalls(String name) throws Exception {
        Assumptions.assumeTrue(Backends.availableNames().contains(name), name + " is not available here:\n"
                + Backends.describe());
        try (Backend backend = Backends.open(name); Sequential m = net(backend)) {
            FloatMatrix[] train = data(128, 9);
            m.fit(train[0], train[1], new FitOptions().epochs(2).batchSize(32).verbose(0));
            List<FloatMatrix[]> inputs = new ArrayList<>();
            List<FloatMatrix> predictions = new ArrayList<>();
            List<Map<String, Double>> evaluations = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                FloatMatrix[] d = data(9 + 13 * i, 50 + i);
                inputs.add(d);
                predictions.add(m.predict(d[0], 16));
                evaluations.add(m.evaluate(d[0], d[1], 16));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int offset = t;
                    futures.add(pool.submit(() -> {
                        for (int k = 0; k < 16; k++) {
                            int i = (k + offset) % inputs.size();
                            assertEquals(predictions.get(i), m.predict(inputs.get(i)[0], 16), name + " predict " + i);
                            if (k % 4 == 0) {
                                assertEquals(evaluations.get(i), m.evaluate(inputs.get(i)[0], inputs.get(i)[1], 16),
                                        name + " evaluate " + i);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Sequential net(Backend backend) {
        Sequential m = Sequential.of(backend, new Dense(24, "relu").kernelRegularizer(Regularizer.ofL1L2(0.001f, 0.01f)),
                new Dropout(0.3f), new Dense(4, "softmax")).seed(21);
        m.input(10).compile(new Adam(0.01f), Loss.sparseCategoricalCrossentropy(), "accuracy");
        return m;
    }

    private static FloatMatrix[] data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 10];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(4);
        }
        return new FloatMatrix[] {new FloatMatrix(n, 10, x), new FloatMatrix(n, 1, y)};
    }
}
