package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** computeGradients / applyGradients / optimizerState against trainOnBatch, on the reference backend. */
class GradientApiTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        assertEquals(0, backend.liveTensors(), "every tensor is freed when the model closes");
        backend.close();
    }

    /** A net with dropout and an L2-regularised kernel, so masks and penalties are part of the comparison. */
    static Sequential net(Backend backend, Optimizer optimizer) {
        Sequential m = Sequential.of(backend, new Dense(12, "relu").kernelRegularizer(Regularizer.ofL2(0.01f)),
                new Dropout(0.3f), new Dense(3, "softmax")).seed(21);
        m.input(5).compile(optimizer, Loss.sparseCategoricalCrossentropy(), "accuracy");
        return m;
    }

    static FloatMatrix[] data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 5];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
        }
        return new FloatMatrix[] {new FloatMatrix(n, 5, x), new FloatMatrix(n, 1, y)};
    }

    /** Three steps of compute + apply and of trainOnBatch give identical losses, weights and optimizer slots. */
    static void assertComputeThenApplyIsTrainOnBatch(Backend backend) {
        try (Sequential a = net(backend, new Adam(0.01f)); Sequential b = net(backend, new Adam(0.01f))) {
            for (int step = 0; step < 3; step++) {
                FloatMatrix[] d = data(16, step);
                Gradients g = a.computeGradients(d[0], d[1]);
                a.applyGradients(g);
                double loss = b.trainOnBatch(d[0], d[1]);
                assertEquals(loss, g.loss(), "step " + step + ": the loss computeGradients reports");
                assertEquals(16, g.rows());
                assertEquals(a.namedWeights(), b.namedWeights(), "step " + step + ": weights, bit for bit");
            }
            assertEquals(3, a.iterations());
            assertEquals(a.optimizerState().slots(), b.optimizerState().slots());
        }
    }

    @Test
    void computeThenApplyIsTrainOnBatchBitForBit() {
        assertComputeThenApplyIsTrainOnBatch(backend);
    }

    @Test
    void computeGradientsChangesNothing() {
        try (Sequential m = net(backend, new Adam(0.01f))) {
            FloatMatrix[] d = data(16, 1);
            m.trainOnBatch(d[0], d[1]);
            LinkedHashMap<String, FloatMatrix> weights = m.namedWeights();
            OptimizerState state = m.optimizerState();
            Gradients g = m.computeGradients(d[0], d[1]);
            assertEquals(List.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"), g.names());
            assertEquals(weights, m.namedWeights());
            assertEquals(state.slots(), m.optimizerState().slots());
            assertEquals(1, m.iterations());
            assertEquals(g.toMap(), m.computeGradients(d[0], d[1]).toMap(), "same batch, same step: same gradients");
        }
    }

    @Test
    void rowKeyedMasksLetASplitBatchMatchTheWholeOne() {
        try (Sequential m = net(backend, new SGD(0.1f))) {
            FloatMatrix[] d = data(12, 4);
            Gradients whole = m.computeGradients(d[0], d[1], 7, 0);
            Gradients first = m.computeGradients(d[0].rowRange(0, 5), d[1].rowRange(0, 5), 7, 0);
            Gradients second = m.computeGradients(d[0].rowRange(5, 12), d[1].rowRange(5, 12), 7, 5);
            Gradients combined = Gradients.weightedMean(List.of(first, second));
            assertEquals(12, combined.rows());
            assertEquals(whole.loss(), combined.loss(), 1e-5);
            double keyed = maxDifference(whole, combined);
            assertTrue(keyed < 1e-5, "split with global row keys differs by " + keyed);
            Gradients wrong = m.computeGradients(d[0].rowRange(5, 12), d[1].rowRange(5, 12), 7, 0);
            double unkeyed = maxDifference(whole, Gradients.weightedMean(List.of(first, wrong)));
            assertTrue(unkeyed > 1e-3, "rows keyed from 0 draw other masks: difference " + unkeyed);
            assertEquals(whole.toMap(), m.computeGradients(d[0], d[1], 7, 0).toMap());
            assertNotEquals(whole.toMap(), m.computeGradients(d[0], d[1], 8, 0).toMap(), "another step, other masks");
        }
    }

    private static double maxDifference(Gradients a, Gradients b) {
        double worst = 0;
        for (String n : a.names()) {
            float[] x = a.get(n).data();
            float[] y = b.get(n).data();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    @Test
    void optimizerStateResumesTrainingExactly() {
        for (Optimizer[] pair : new Optimizer[][] {{new Nadam(0.01f), new Nadam(0.01f)},
                {new RMSprop(0.01f), new RMSprop(0.01f)}, {new SGD(0.1f, 0.9f, true), new SGD(0.1f, 0.9f, true)}}) {
            try (Sequential a = net(backend, pair[0]); Sequential b = net(backend, pair[1])) {
                for (int s = 0; s < 3; s++) {
                    FloatMatrix[] d = data(16, s);
                    a.trainOnBatch(d[0], d[1]);
                }
                b.setNamedWeights(a.namedWeights());
                b.setOptimizerState(a.optimizerState());
                assertEquals(3, b.iterations());
                for (int s = 3; s < 6; s++) {
                    FloatMatrix[] d = data(16, s);
                    assertEquals(a.trainOnBatch(d[0], d[1]), b.trainOnBatch(d[0], d[1]));
                }
                assertEquals(a.namedWeights(), b.namedWeights(), pair[0].name() + ": resumed run, bit for bit");
            }
        }
    }

    @Test
    void badGradientsAndStatesChangeNothing() {
        try (Sequential m = net(backend, new Adam(0.01f)); Sequential other = net(backend, new SGD(0.1f))) {
            FloatMatrix[] d = data(8, 2);
            Gradients g = m.computeGradients(d[0], d[1]);
            LinkedHashMap<String, FloatMatrix> weights = m.namedWeights();
            Map<String, FloatMatrix> missing = g.toMap();
            missing.remove("dense/bias");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.applyGradients(new Gradients(missing, 1, 8)));
            assertTrue(e.getMessage().contains("must hold exactly [dense/kernel, dense/bias"), e.getMessage());
            Map<String, FloatMatrix> wrongShape = g.toMap();
            wrongShape.put("dense_1/bias", new FloatMatrix(1, 4, new float[4]));
            e = assertThrows(IllegalArgumentException.class, () -> m.applyGradients(new Gradients(wrongShape, 1, 8)));
            assertTrue(e.getMessage().contains("'dense_1/bias' must be [1 x 3], got [1 x 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.setOptimizerState(other.optimizerState()));
            assertTrue(e.getMessage().contains("of optimizer 'sgd', the model is compiled with 'adam'"), e.getMessage());
            assertEquals(weights, m.namedWeights());
            assertEquals(0, m.iterations());
        }
    }

    @Test
    void gradientArithmeticIsElementWiseInListOrder() {
        Gradients a = new Gradients(Map.of("w", new FloatMatrix(1, 2, new float[] {1f, 2f})), 0.5, 1);
        Gradients b = new Gradients(Map.of("w", new FloatMatrix(1, 2, new float[] {3f, -6f})), 1.5, 3);
        assertArrayEquals(new float[] {4f, -4f}, a.plus(b).get("w").data());
        assertEquals(4, a.plus(b).rows());
        assertArrayEquals(new float[] {0.5f, 1f}, a.scaled(0.5f).get("w").data());
        Gradients mean = Gradients.weightedMean(List.of(a, b));
        assertArrayEquals(new float[] {1f * 0.25f + 3f * 0.75f, 2f * 0.25f - 6f * 0.75f}, mean.get("w").data());
        assertEquals(1.25, mean.loss(), 1e-7);
        assertEquals(4, mean.rows());
        Gradients c = new Gradients(Map.of("v", new FloatMatrix(1, 2, new float[2])), 0, 1);
        assertThrows(IllegalArgumentException.class, () -> a.plus(c));
        float[] source = {1f, 2f};
        Gradients copy = new Gradients(Map.of("w", new FloatMatrix(1, 2, source)), 0, 1);
        source[0] = 9f;
        copy.get("w").data()[1] = 9f;
        assertArrayEquals(new float[] {1f, 2f}, copy.get("w").data(), "a value: copied in and out");
    }
}
