package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model's backpropagated gradients against central finite differences of a float64
 * re-implementation of the network and the Keras loss ({@link DoubleNet}).
 */
class GradientCheckTest {

    private static final int N = 6;
    private static final int IN = 4;
    private static final int HIDDEN = 5;
    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    @ParameterizedTest(name = "hidden activation {0}")
    @ValueSource(strings = {"linear", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus",
            "softsign", "exponential", "softmax", "hard_sigmoid", "relu6", "silu", "swish", "gelu", "gelu_approximate",
            "mish", "hard_silu", "log_softmax"})
    void everyActivation(String activation) {
        check(activation, "linear", Loss.meanSquaredError(), regressionTargets(3, 11), 3);
    }

    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of("sigmoid", Loss.binaryCrossentropy(), "binary"),
                Arguments.of("linear", Loss.binaryCrossentropy(true), "binary"),
                Arguments.of("softmax", Loss.categoricalCrossentropy(), "onehot"),
                Arguments.of("linear", Loss.categoricalCrossentropy(true), "onehot"),
                Arguments.of("softmax", Loss.sparseCategoricalCrossentropy(), "sparse"),
                Arguments.of("linear", Loss.sparseCategoricalCrossentropy(true), "sparse"),
                Arguments.of("linear", Loss.meanSquaredError(), "regression"),
                Arguments.of("linear", Loss.meanAbsoluteError(), "regression"),
                Arguments.of("linear", Loss.meanAbsolutePercentageError(), "regression"),
                Arguments.of("softplus", Loss.meanSquaredLogarithmicError(), "positive"),
                Arguments.of("linear", Loss.hinge(), "binary"),
                Arguments.of("linear", Loss.hinge(), "signs"),
                Arguments.of("linear", Loss.squaredHinge(), "binary"),
                Arguments.of("linear", Loss.huber(), "regression"),
                Arguments.of("linear", Loss.huber(0.3f), "regression"),
                Arguments.of("linear", Loss.logCosh(), "regression"),
                Arguments.of("softplus", Loss.poisson(), "positive"),
                Arguments.of("softmax", Loss.klDivergence(), "onehot"),
                Arguments.of("sigmoid", Loss.klDivergence(), "binary"),
                Arguments.of("linear", Loss.categoricalHinge(), "onehot"),
                Arguments.of("linear", Loss.cosineSimilarity(), "regression"),
                Arguments.of("sigmoid", Loss.binaryFocalCrossentropy(), "binary"),
                Arguments.of("sigmoid", Loss.binaryFocalCrossentropy(true, 0.3f, 1.5f, false, 0.1f), "binary"),
                Arguments.of("linear", Loss.binaryFocalCrossentropy(false, 0.25f, 2f, true, 0f), "binary"),
                Arguments.of("sigmoid", Loss.categoricalCrossentropy(false, 0.1f), "onehot"),
                Arguments.of("softmax", Loss.categoricalCrossentropy(false, 0.2f), "onehot"),
                Arguments.of("linear", Loss.categoricalCrossentropy(true, 0.1f), "onehot"),
                Arguments.of("sigmoid", Loss.binaryCrossentropy(false, 0.1f), "binary"),
                Arguments.of("linear", Loss.binaryCrossentropy(true, 0.3f), "binary"));
    }

    @ParameterizedTest(name = "{1} after {0} on {2} targets")
    @MethodSource("losses")
    void everyLoss(String outputActivation, Loss loss, String targets) {
        int k = 3;
        FloatMatrix y = switch (targets) {
            case "binary" -> binaryTargets(k);
            case "signs" -> signTargets(k);
            case "onehot" -> oneHotTargets(k);
            case "sparse" -> sparseTargets(k);
            case "positive" -> positiveTargets(k);
            default -> regressionTargets(k, 5);
        };
        check("tanh", outputActivation, loss, y, k);
    }

    /** Cross-entropies after an output activation that is not the fused one run the element-wise kernels. */
    @Test
    void unfusedCrossEntropies() {
        checkUnfused("sigmoid", Loss.binaryCrossentropy(), binaryTargets(2), 2);
        checkUnfused("softmax", Loss.categoricalCrossentropy(), oneHotTargets(3), 3);
    }

    /** The Dense layer alone: linear output, MSE, several batch shapes including a single sample. */
    @ParameterizedTest(name = "dense layer, batch {0}")
    @ValueSource(ints = {1, 2, 7})
    void denseLayer(int batch) {
        SplittableRandom r = new SplittableRandom(batch);
        FloatMatrix x = random(batch, IN, r, 1.5);
        FloatMatrix y = random(batch, 2, r, 1.0);
        try (Sequential model = Sequential.of(backend, new Dense(2)).seed(5)) {
            model.input(IN).compile(new SGD(), Loss.meanSquaredError());
            compare(model, new DoubleNet(List.of(new DoubleNet.Layer(IN, 2, "linear")), model.loss()), x, y);
        }
    }

    private void check(String hidden, String output, Loss loss, FloatMatrix y, int k) {
        FloatMatrix x = random(y.rows(), IN, new SplittableRandom(7), 1.5);
        try (Sequential model = Sequential.of(backend, new Dense(HIDDEN, hidden), new Dense(k, output)).seed(3)) {
            model.input(IN).compile(new SGD(), loss);
            DoubleNet net = new DoubleNet(List.of(new DoubleNet.Layer(IN, HIDDEN, hidden),
                    new DoubleNet.Layer(HIDDEN, k, output)), loss);
            compare(model, net, x, y);
        }
    }

    private void checkUnfused(String output, Loss loss, FloatMatrix y, int k) {
        FloatMatrix x = random(y.rows(), IN, new SplittableRandom(9), 1.5);
        // A linear Activation layer after the output keeps the loss from fusing with it.
        try (Sequential model = Sequential.of(backend, new Dense(HIDDEN, "relu"), new Dense(k, output),
                new Activation("linear")).seed(4)) {
            model.input(IN).compile(new SGD(), loss);
            DoubleNet net = new DoubleNet(List.of(new DoubleNet.Layer(IN, HIDDEN, "relu"),
                    new DoubleNet.Layer(HIDDEN, k, output)), loss);
            compare(model, net, x, y);
        }
    }

    private static void compare(Sequential model, DoubleNet net, FloatMatrix x, FloatMatrix y) {
        Map<String, FloatMatrix> named = model.namedWeights();
        double[][] w = DoubleNet.weights(named);
        Map<String, FloatMatrix> grads = model.computeGradients(x, y).toMap();
        List<String> names = new ArrayList<>(named.keySet());
        double h = 1e-6;
        for (int p = 0; p < w.length; p++) {
            float[] g = grads.get(names.get(p)).data();
            for (int i = 0; i < w[p].length; i++) {
                double saved = w[p][i];
                w[p][i] = saved + h;
                double up = net.loss(w, x, y);
                w[p][i] = saved - h;
                double down = net.loss(w, x, y);
                w[p][i] = saved;
                double fd = (up - down) / (2 * h);
                double tolerance = 2e-4 + 2e-3 * Math.abs(fd);
                assertEquals(fd, g[i], tolerance, names.get(p) + "[" + i + "]: backprop " + g[i]
                        + " vs finite difference " + fd);
            }
        }
        // The float64 loss and the model's evaluated loss agree too (no regularizers here).
        double modelLoss = model.evaluate(x, y, x.rows()).get("loss");
        double netLoss = net.loss(w, x, y);
        assertTrue(Math.abs(modelLoss - netLoss) <= 1e-5 * Math.max(1, Math.abs(netLoss)),
                "loss: model " + modelLoss + " vs float64 " + netLoss);
    }

    // ---------------------------------------------------------------- data

    static FloatMatrix random(int rows, int cols, SplittableRandom r, double scale) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (scale * (2 * r.nextDouble() - 1));
        }
        return new FloatMatrix(rows, cols, d);
    }

    private static FloatMatrix regressionTargets(int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[N * k];
        for (int i = 0; i < d.length; i++) {
            // Away from zero so that MAPE's 1/|t| is moderate; mixed signs.
            d[i] = (float) ((0.5 + 1.5 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1));
        }
        return new FloatMatrix(N, k, d);
    }

    private static FloatMatrix positiveTargets(int k) {
        SplittableRandom r = new SplittableRandom(13);
        float[] d = new float[N * k];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (0.2 + 2 * r.nextDouble());
        }
        return new FloatMatrix(N, k, d);
    }

    private static FloatMatrix binaryTargets(int k) {
        SplittableRandom r = new SplittableRandom(17);
        float[] d = new float[N * k];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextBoolean() ? 1 : 0;
        }
        return new FloatMatrix(N, k, d);
    }

    private static FloatMatrix signTargets(int k) {
        FloatMatrix b = binaryTargets(k);
        float[] d = b.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] * 2 - 1;
        }
        return new FloatMatrix(N, k, d);
    }

    private static FloatMatrix oneHotTargets(int k) {
        float[] d = new float[N * k];
        for (int i = 0; i < N; i++) {
            d[i * k + (i * 7 + 1) % k] = 1;
        }
        return new FloatMatrix(N, k, d);
    }

    private static FloatMatrix sparseTargets(int k) {
        float[] d = new float[N];
        for (int i = 0; i < N; i++) {
            d[i] = (i * 7 + 1) % k;
        }
        return new FloatMatrix(N, 1, d);
    }
}
