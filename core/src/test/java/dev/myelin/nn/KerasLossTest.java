package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Losses called outside {@code fit} ({@code Loss.call}, per sample) against Keras 3's formulas evaluated
 * independently with numpy (float64 on the same float32 inputs), and a user-defined loss in training.
 */
class KerasLossTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    private static final FloatMatrix T = FloatMatrix.of(new float[][] {{0, 1, 0}, {0, 0, 1}, {0.2f, 0.5f, 0.3f}});
    private static final FloatMatrix P = FloatMatrix.of(new float[][] {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f},
        {0.2f, 0.6f, 0.4f}});

    @AfterEach
    void close() {
        backend.close();
    }

    private void assertSamples(Loss loss, double... numpy) {
        float[] got = CustomLosses.perSample(backend, loss, T, P);
        assertEquals(numpy.length, got.length);
        for (int i = 0; i < numpy.length; i++) {
            assertEquals(numpy[i], got[i], 2e-6 * (1 + Math.abs(numpy[i])), loss + " sample " + i);
        }
    }

    @Test
    void perSampleValuesMatchNumpy() {
        // python3 + numpy, Keras 3's formulas (keras/src/losses/losses.py), epsilon 1e-7 as float32.
        assertSamples(Loss.categoricalCrossentropy(), 0.051293295760025934, 2.3025850929940455, 1.0345091707260168);
        assertSamples(Loss.categoricalCrossentropy(false, 0.1f), 0.6850013389343302, 2.233270374938051,
                1.0505088853492066);
        assertSamples(Loss.klDivergence(), 0.05129199469954355, 2.3025821070465837, -0.17746542745130667);
        assertSamples(Loss.poisson(), 0.350431063498957, 1.1008613643315164, 0.6840624536875107);
        assertSamples(Loss.categoricalHinge(), 0.10000001266598701, 1.7000000104308128, 0.8399999976158141);
        assertSamples(Loss.logCosh(), 0.0008329865533411492, 0.218525228704418, 0.003327793537877081);
        assertSamples(Loss.cosineSimilarity(), -0.9986178292567872, -0.12309149097933274, -0.9971764651834691);
    }

    @Test
    void batchLossIsTheMeanOverSamples() {
        // Keras's docstring: mean_squared_error of [[0, 1], [0, 0]] and [[1, 1], [1, 0]] is 0.5.
        FloatMatrix t = FloatMatrix.of(new float[][] {{0, 1}, {0, 0}});
        FloatMatrix p = FloatMatrix.of(new float[][] {{1, 1}, {1, 0}});
        float[] samples = CustomLosses.perSample(backend, Loss.meanSquaredError(), t, p);
        assertArrayEquals(new float[] {0.5f, 0.5f}, samples);
        // binary_focal_crossentropy(gamma=2) docstring example: [0.330, 0.206].
        FloatMatrix ft = FloatMatrix.of(new float[][] {{0, 1}, {0, 0}});
        FloatMatrix fp = FloatMatrix.of(new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}});
        float[] focal = CustomLosses.perSample(backend, Loss.binaryFocalCrossentropy(), ft, fp);
        assertEquals(0.3298646634746958, focal[0], 1e-6);
        assertEquals(0.20579838163862715, focal[1], 1e-6);
    }

    @Test
    void callRejectsMismatchedRows() {
        FloatMatrix t = FloatMatrix.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CustomLosses.perSample(backend, Loss.meanSquaredError(), t, P));
        assertTrue(e.getMessage().contains("[2 x 3]") && e.getMessage().contains("[3 x 3]"), e.getMessage());
    }

    /** A user's mean squared error: its training must follow the built-in one's. */
    static final class MyMse extends Loss {
        MyMse() {
            super("my_mse");
        }

        @Override
        protected float sampleLoss(float[] yTrue, float[] yPred, float[] gradient) {
            float sum = 0;
            for (int j = 0; j < yPred.length; j++) {
                float e = yPred[j] - yTrue[j];
                sum += e * e;
                gradient[j] = 2 * e / yPred.length;
            }
            return sum / yPred.length;
        }
    }

    @Test
    void userDefinedLossTrainsLikeTheBuiltIn() {
        FloatMatrix x = FloatMatrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.5f, 0.2f}, {0.1f, 0.9f}});
        FloatMatrix y = FloatMatrix.of(new float[][] {{0, 1}, {1, 0}, {1, 1}, {0, 0}, {0.3f, 0.7f}, {0.9f, 0.1f}});
        List<Double> builtIn;
        List<Double> mine;
        try (Sequential m = Sequential.of(backend, new Dense(5, "gelu"), new Dense(2)).seed(3)) {
            m.input(2).compile(new Adam(0.05f), Loss.meanSquaredError());
            builtIn = m.fit(x, y, new FitOptions().epochs(20).batchSize(3).shuffle(false).verbose(0)).get("loss");
        }
        try (Sequential m = Sequential.of(backend, new Dense(5, "gelu"), new Dense(2)).seed(3)) {
            m.input(2).compile(new Adam(0.05f), new MyMse());
            mine = m.fit(x, y, new FitOptions().epochs(20).batchSize(3).shuffle(false).verbose(0)).get("loss");
        }
        for (int i = 0; i < builtIn.size(); i++) {
            assertEquals(builtIn.get(i), mine.get(i), 1e-5 * (1 + builtIn.get(i)), "epoch " + i);
        }
        assertTrue(mine.get(mine.size() - 1) < mine.get(0), "the user's loss decreases: " + mine);
        assertEquals("my_mse", new MyMse().name());
    }

    /** A model file rebuilds the loss from its config: every parameter that changes a number must survive. */
    @Test
    void configKeepsSmoothingAndFocalParametersAndRefusesAUserLoss() {
        Loss focal = Loss.binaryFocalCrossentropy(true, 0.4f, 3f, true, 0.1f);
        java.util.Map<String, Object> c = Loss.fromConfig(focal.config()).config();
        assertEquals(Loss.Kind.BINARY_FOCAL_CROSSENTROPY, Loss.fromConfig(focal.config()).kind());
        assertEquals(0.4, ((Number) c.get("alpha")).doubleValue(), 1e-7);
        assertEquals(3.0, ((Number) c.get("gamma")).doubleValue(), 1e-7);
        assertEquals(true, c.get("apply_class_balancing"));
        assertEquals(true, c.get("from_logits"));
        assertEquals(0.1, ((Number) c.get("label_smoothing")).doubleValue(), 1e-7);
        Loss cce = Loss.fromConfig(Loss.categoricalCrossentropy(false, 0.2f).config());
        assertEquals(0.2, ((Number) cce.config().get("label_smoothing")).doubleValue(), 1e-7);
        Loss bce = Loss.fromConfig(Loss.binaryCrossentropy(true, 0.05f).config());
        assertEquals(0.05, ((Number) bce.config().get("label_smoothing")).doubleValue(), 1e-7);
        assertTrue(bce.fromLogits());
        Loss mine = new Loss("mine") {
        };
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, mine::config);
        assertTrue(e.getMessage().contains("mine"), e.getMessage());
    }
}
