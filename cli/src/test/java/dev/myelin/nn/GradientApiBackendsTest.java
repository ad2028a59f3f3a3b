package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Assumptions;

/** computeGradients then applyGradients is trainOnBatch, bit for bit, on the real backends. */
class GradientApiBackendsTest {

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
