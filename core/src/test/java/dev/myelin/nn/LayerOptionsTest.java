package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dense without a bias and frozen layers (Keras's {@code use_bias=False}, {@code trainable=False}): a frozen
 * layer keeps its weights and costs no weight-gradient work.
 */
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

    /** 16 samples of 3 features and 2 targets, in [-1, 1]. */
    private static FloatMatrix[] data(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new FloatMatrix[] {GradientCheckTest.random(16, 3, r, 1), GradientCheckTest.random(16, 2, r, 1)};
    }

    /** tanh, then a frozen relu layer (whose input gradient is still needed), then the output; seeded alike. */
    private Sequential threeLayers(boolean freezeMiddle, boolean freezeFirst) {
        Dense first = new Dense(5, "tanh");
        Dense middle = new Dense(4, "relu");
        first.trainable(!freezeFirst);
        middle.trainable(!freezeMiddle);
        Sequential m = Sequential.of(backend, first, middle, new Dense(2)).seed(5).input(3);
        m.compile(new SGD(0.05f), Loss.meanSquaredError());
        return m;
    }

    private static void assertSameWeights(Sequential expected, Sequential actual, String what) {
        List<FloatMatrix> e = expected.getWeights();
        List<FloatMatrix> a = actual.getWeights();
        assertEquals(e.size(), a.size(), what);
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i).data(), a.get(i).data(), what + ": weight " + i);
        }
    }

    /** The gradient buffers of the given layer's weights, filled with NaN: any write shows. */
    private List<Parameter> poisonGradients(Layer l) {
        for (Parameter p : l.weights()) {
            backend.fill(p.gradient(), Float.NaN);
        }
        return l.weights();
    }

    @Test
    void frozenLayerComputesNoWeightGradients() {
        FloatMatrix[] d = data(6);
        FloatMatrix x = d[0];
        FloatMatrix y = d[1];
        for (boolean frozenFirst : new boolean[] {false, true}) {
            try (Sequential model = threeLayers(true, frozenFirst)) {
                List<Parameter> frozen = new ArrayList<>(poisonGradients(model.layers().get(1)));
                if (frozenFirst) {
                    frozen.addAll(poisonGradients(model.layers().get(0)));
                }
                model.fit(x, y, new FitOptions().batchSize(4).epochs(2).verbose(0));
                model.computeGradients(x, y);
                for (Parameter p : frozen) {
                    for (float v : p.gradient().toArray()) {
                        assertTrue(Float.isNaN(v), p.name() + ": a frozen layer's gradient buffer was written (" + v
                                + ")" + (frozenFirst ? " with the first layer frozen too" : ""));
                    }
                }
            }
        }
    }

    @Test
    void skippingAFrozenLayersWeightGradientsLeavesTheOtherGradientsBitForBit() {
        FloatMatrix[] d = data(7);
        FloatMatrix x = d[0];
        FloatMatrix y = d[1];
        try (Sequential frozen = threeLayers(true, false); Sequential all = threeLayers(false, false)) {
            assertSameWeights(all, frozen, "same seed");
            Gradients g = frozen.computeGradients(x, y);
            Gradients ref = all.computeGradients(x, y);
            assertEquals(4, g.size(), "the frozen layer's kernel and bias have no gradient");
            for (String name : g.names()) {
                assertArrayEquals(ref.get(name).data(), g.get(name).data(), name + ": the same gradient, bit for bit");
            }
            assertEquals(ref.loss(), g.loss());
        }
    }

    @Test
    void freezingAfterCompileTakesEffectAtTheNextCompile() {
        FloatMatrix[] d = data(8);
        FloatMatrix x = d[0];
        FloatMatrix y = d[1];
        try (Sequential toggled = threeLayers(false, false); Sequential plain = threeLayers(false, false)) {
            // Keras: trainable changes take effect at compile; until then the layer trains with fresh gradients.
            toggled.layers().get(1).trainable(false);
            FitOptions o = new FitOptions().batchSize(4).epochs(2).verbose(0).shuffle(false);
            toggled.fit(x, y, o);
            plain.fit(x, y, o);
            assertSameWeights(plain, toggled, "trained alike until the next compile");
            List<FloatMatrix> before = toggled.getWeights();
            toggled.compile(new SGD(0.05f), Loss.meanSquaredError());
            toggled.fit(x, y, o);
            assertArrayEquals(before.get(2).data(), toggled.getWeights().get(2).data(), "frozen once recompiled");
            assertFalse(java.util.Arrays.equals(before.get(0).data(), toggled.getWeights().get(0).data()),
                    "the first layer still trains");
        }
    }
}
