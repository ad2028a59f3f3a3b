package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Rescaling} against Keras's formula, its backward through an equivalent model, config and {@code pop()}. */
class RescalingTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    /** A {@code rows x cols} matrix of values uniform in [-2, 2) from {@code seed}. */
    static FloatMatrix random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return new FloatMatrix(rows, cols, v);
    }

    @Test
    void forwardIsScaleTimesXPlusOffset() {
        FloatMatrix x = random(7, 5, 3);
        try (Sequential m = Sequential.of(backend, new Rescaling(1f / 255f, -0.25f))) {
            FloatMatrix y = m.input(5).predict(x);
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < x.cols(); j++) {
                    assertEquals(x.get(i, j) * (1.0 / 255.0) - 0.25, y.get(i, j), 1e-6, "(" + i + "," + j + ")");
                }
            }
        }
    }

    /**
     * {@code tanh-Dense -> Rescaling(s, o) -> Dense(W, b)} is the function {@code tanh-Dense -> Dense(s W, b + o
     * colsum(W))}: same predictions, and the same gradients of the first layer, which only a correct
     * input gradient of Rescaling gives.
     */
    @Test
    void backwardMatchesTheFoldedModel() {
        float s = 2.5f;
        float o = 0.5f;
        FloatMatrix x = random(6, 4, 5);
        FloatMatrix y = random(6, 2, 9);
        try (Sequential a = Sequential.of(backend, new Dense(3, "tanh"), new Rescaling(s, o), new Dense(2)).seed(4);
                Sequential b = Sequential.of(backend, new Dense(3, "tanh"), new Dense(2)).seed(4)) {
            a.input(4).compile(new SGD(0.1f), Loss.meanSquaredError());
            b.input(4).compile(new SGD(0.1f), Loss.meanSquaredError());
            List<FloatMatrix> wa = a.getWeights();
            FloatMatrix w = wa.get(2);
            float[] w2 = new float[w.rows() * w.cols()];
            float[] b2 = new float[w.cols()];
            for (int i = 0; i < w.rows(); i++) {
                for (int j = 0; j < w.cols(); j++) {
                    w2[i * w.cols() + j] = s * w.get(i, j);
                    b2[j] += o * w.get(i, j);
                }
            }
            for (int j = 0; j < w.cols(); j++) {
                b2[j] += wa.get(3).get(0, j);
            }
            b.setWeights(List.of(wa.get(0), wa.get(1), new FloatMatrix(w.rows(), w.cols(), w2),
                    new FloatMatrix(1, w.cols(), b2)));
            FloatMatrix pa = a.predict(x);
            FloatMatrix pb = b.predict(x);
            for (int i = 0; i < pa.rows(); i++) {
                for (int j = 0; j < pa.cols(); j++) {
                    assertEquals(pb.get(i, j), pa.get(i, j), 1e-5);
                }
            }
            Gradients ga = a.computeGradients(x, y);
            Gradients gb = b.computeGradients(x, y);
            for (int k = 0; k < 2; k++) {
                FloatMatrix da = ga.get(ga.names().get(k));
                FloatMatrix db = gb.get(gb.names().get(k));
                for (int i = 0; i < da.rows(); i++) {
                    for (int j = 0; j < da.cols(); j++) {
                        assertEquals(db.get(i, j), da.get(i, j), 1e-5, ga.names().get(k) + " (" + i + "," + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void configRebuildsTheLayer() {
        Rescaling r = new Rescaling(0.5f, 2f).name("pixels");
        Layer back = Layers.fromConfig("Rescaling", r.config());
        assertEquals(r.config(), back.config());
        assertThrows(IllegalArgumentException.class, () -> new Rescaling(Float.NaN));
    }

    @Test
    void popRemovesTheLastLayerBeforeBuild() {
        Dense last = new Dense(2);
        try (Sequential m = Sequential.of(backend, new Dense(3), last)) {
            assertSame(last, m.pop());
            assertEquals(1, m.layers().size());
            m.pop();
            assertThrows(IllegalStateException.class, m::pop);
            m.add(new Dense(1)).input(2).build(2);
            assertThrows(IllegalStateException.class, m::pop);
        }
    }
}
