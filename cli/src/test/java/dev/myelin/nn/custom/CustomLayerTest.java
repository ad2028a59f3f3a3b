package dev.myelin.nn.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Dense;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.Layer;
import dev.myelin.nn.Layers;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Regularizer;
import dev.myelin.nn.SGD;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's custom layer, written outside the package against the public Layer contract, on cpu and opencl. */
class CustomLayerTest {

    private Backend backend = Backends.open("cpu");

    @AfterEach
    void close() {
        backend.close();
    }

    private void use(String name) {
        Assumptions.assumeTrue(Backends.availableNames().contains(name), name + " is not available here:\n"
                + Backends.describe());
        backend.close();
        backend = Backends.open(name);
    }

    private static FloatMatrix[] scaledData(int n, float a, float b) {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[n * 2];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) r.nextDouble(-1, 1);
            x[2 * i + 1] = (float) r.nextDouble(-1, 1);
            y[2 * i] = a * x[2 * i];
            y[2 * i + 1] = b * x[2 * i + 1];
        }
        return new FloatMatrix[] {new FloatMatrix(n, 2, x), new FloatMatrix(n, 2, y)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void aUserLayerLearnsItsWeights(String name) {
        use(name);
        FloatMatrix[] d = scaledData(64, 2f, -3f);
        try (Sequential model = Sequential.of(backend, new Scale())) {
            model.input(2).compile(new SGD(0.5f), Loss.of("mse"));
            model.fit(d[0], d[1], new FitOptions().epochs(200).batchSize(16).verbose(0));
            float[] s = model.namedWeights().get("scale/scale").data();
            assertEquals(2f, s[0], 1e-3, "first scale");
            assertEquals(-3f, s[1], 1e-3, "second scale");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void aUserLayerTrainsBetweenBuiltInLayersAndPassesItsInputGradient(String name) {
        use(name);
        FloatMatrix[] d = scaledData(64, 0.5f, -0.5f);
        try (Sequential model = Sequential.of(backend, new Dense(8, "tanh"), new Scale(), new Dense(2)).seed(5)) {
            model.input(2).compile(new SGD(0.1f), Loss.of("mse"));
            double before = model.evaluate(d[0], d[1]).get("loss");
            float[] firstKernel = model.namedWeights().get("dense/kernel").data();
            model.fit(d[0], d[1], new FitOptions().epochs(100).batchSize(16).verbose(0));
            double after = model.evaluate(d[0], d[1]).get("loss");
            assertTrue(after < before / 10, "loss " + before + " -> " + after);
            assertNotEquals(java.util.Arrays.toString(firstKernel),
                    java.util.Arrays.toString(model.namedWeights().get("dense/kernel").data()),
                    "the layer below the custom one trains: its input gradient reaches it");
            String summary = model.summary();
            assertTrue(summary.contains("scale (Scale)") && summary.contains("Total params: " + (2 * 8 + 8 + 8 + 8 * 2 + 2)),
                    summary);
        }
    }

    @Test
    void theReadmeShowsThisLayer() throws java.io.IOException {
        String source = java.nio.file.Files.readString(java.nio.file.Path.of("src", "test", "java", "dev", "myelin",
                "nn", "custom", "Scale.java"));
        String body = source.substring(source.indexOf("/** A user layer")).strip();
        assertTrue(java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md")).contains(body),
                "README.md's custom layer is Scale.java's class, verbatim");
    }

    @Test
    void registeredLayersAreRebuiltFromTheirConfig() {
        Layers.register("Scale", Scale::fromConfig);
        Layer copy = Layers.fromConfig("Scale", new Scale().trainable(false).config());
        assertTrue(copy instanceof Scale && !copy.trainable());
        Dense dense = new Dense(5, "leaky_relu").name("hidden").kernelRegularizer(Regularizer.ofL1L2(0.01f, 0.02f));
        Map<String, Object> config = dense.config();
        assertEquals(config, Layers.fromConfig("Dense", config).config());
        assertEquals(new Dropout(0.25f).config(), Layers.fromConfig("Dropout", new Dropout(0.25f).config()).config());
        Map<String, Object> act = new Activation("softmax").config();
        assertEquals(act, Layers.fromConfig("Activation", act).config());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("Nope", Map.of()));
        assertTrue(e.getMessage().contains("unknown layer type 'Nope'") && e.getMessage().contains("Dense"),
                e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("Dense", Map.of("units", "many")));
        assertTrue(bad.getMessage().contains("'units' must be an integer, got \"many\""), bad.getMessage());
    }

    @Test
    void aFrozenLayerKeepsItsWeightsAndTheSummarySaysSo() {
        FloatMatrix[] d = scaledData(32, 2f, -3f);
        try (Sequential model = Sequential.of(backend, new Dense(4, "tanh").trainable(false), new Dense(2))) {
            model.input(2).compile(new SGD(0.1f), Loss.of("mse"));
            FloatMatrix frozen = model.namedWeights().get("dense/kernel");
            FloatMatrix free = model.namedWeights().get("dense_1/kernel");
            model.fit(d[0], d[1], new FitOptions().epochs(3).verbose(0));
            assertEquals(frozen, model.namedWeights().get("dense/kernel"));
            assertNotEquals(free, model.namedWeights().get("dense_1/kernel"));
            String s = model.summary();
            assertTrue(s.contains("Trainable params: 10") && s.contains("Non-trainable params: 12"), s);
        }
    }
}
