package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.Sequential;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Trainings with the same seed give bit-identical weights on the CPU backend: run again in the same
 * JVM (the first run starts on interpreted code, the later ones on compiled code) and with one thread
 * instead of two (kernels split their work differently, but no split may change an order of addition).
 */
class SameSeedTrainingTest {

    private static final int SAMPLES = 2048;
    private static final int FEATURES = 48;
    private static final int CLASSES = 10;

    @Test
    void sameSeedGivesIdenticalWeightsAcrossRunsAndThreads() {
        FloatMatrix x = features();
        FloatMatrix y = labels();
        List<FloatMatrix> first = train(x, y, 2);
        List<FloatMatrix> second = train(x, y, 2);
        List<FloatMatrix> oneThread = train(x, y, 1);
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i).data(), second.get(i).data(), 0f, "weights " + i + ", second run");
            assertArrayEquals(first.get(i).data(), oneThread.get(i).data(), 0f, "weights " + i + ", one thread");
        }
    }

    private static List<FloatMatrix> train(FloatMatrix x, FloatMatrix y, int threads) {
        try (CpuBackend cpu = new CpuBackend(threads);
                Sequential model = Sequential.of(cpu, new Dense(64, "relu"), new Dense(32, "tanh"),
                        new Dense(CLASSES, "softmax"))) {
            model.seed(7).input(FEATURES).compile("adam", "sparse_categorical_crossentropy", "accuracy");
            model.fit(x, y, new FitOptions().batchSize(32).epochs(3).shuffle(true).verbose(0));
            return model.getWeights();
        }
    }

    private static FloatMatrix features() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] v = new float[SAMPLES * FEATURES];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return new FloatMatrix(SAMPLES, FEATURES, v);
    }

    private static FloatMatrix labels() {
        SplittableRandom rnd = new SplittableRandom(12);
        float[] v = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            v[i] = rnd.nextInt(CLASSES);
        }
        return new FloatMatrix(SAMPLES, 1, v);
    }
}
