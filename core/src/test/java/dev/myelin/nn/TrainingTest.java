package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Small networks trained end to end on the reference backend. */
class TrainingTest {

    static final FloatMatrix GATE_X = FloatMatrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    static final FloatMatrix XOR = FloatMatrix.of(new float[][] {{0}, {1}, {1}, {0}});

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        assertEquals(0, backend.liveTensors(), "every tensor is freed when the model closes");
        backend.close();
    }

    @Test
    void mlpLearnsXor() {
        try (Sequential model = Sequential.of(backend, new Dense(4, "tanh"), new Dense(1, "sigmoid")).seed(1)) {
            model.input(2).compile(new Adam(0.05f), Loss.binaryCrossentropy(), "accuracy");
            History h = model.fit(GATE_X, XOR, new FitOptions().epochs(400).batchSize(4).verbose(0));
            assertEquals(400, h.get("loss").size());
            assertTrue(h.last("loss") < 0.1, "loss after 400 epochs: " + h.last("loss"));
            assertEquals(1.0, h.last("accuracy"));
            FloatMatrix p = model.predict(GATE_X);
            for (int i = 0; i < 4; i++) {
                assertEquals(XOR.get(i, 0), Math.round(p.get(i, 0)), "XOR row " + i + ": " + p.get(i, 0));
            }
        }
    }

    @Test
    void trainOnBatchIsOneUnshuffledStepOfFit() {
        FloatMatrix[] data = blobs(24, 3, 5);
        try (Sequential stepped = Sequential.of(backend, new Dense(6, "relu"), new Dense(3, "softmax")).seed(7);
                Sequential fitted = Sequential.of(backend, new Dense(6, "relu"), new Dense(3, "softmax")).seed(7)) {
            stepped.input(2).compile(new Adam(0.01f), Loss.of("sparse_categorical_crossentropy"));
            fitted.input(2).compile(new Adam(0.01f), Loss.of("sparse_categorical_crossentropy"));
            double first = stepped.trainOnBatch(data[0], data[1]);
            double second = stepped.trainOnBatch(data[0], data[1]);
            History h = fitted.fit(data[0], data[1], new FitOptions().epochs(2).batchSize(24).shuffle(false).verbose(0));
            assertEquals(h.get("loss").get(0), first, 1e-6);
            assertEquals(h.get("loss").get(1), second, 1e-6);
            assertEquals(2, stepped.iterations());
            List<FloatMatrix> a = stepped.getWeights();
            List<FloatMatrix> b = fitted.getWeights();
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i).data(), a.get(i).data(), "weights " + i);
            }
        }
    }

    @Test
    void perceptronLearnsSeparableGatesNotXor() {
        Map<String, float[]> gates = Map.of("AND", new float[] {0, 0, 0, 1}, "OR", new float[] {0, 1, 1, 1},
                "NAND", new float[] {1, 1, 1, 0});
        for (Map.Entry<String, float[]> gate : gates.entrySet()) {
            try (Perceptron p = new Perceptron(backend, 2)) {
                FloatMatrix y = new FloatMatrix(4, 1, gate.getValue());
                assertTrue(p.fit(GATE_X, y, 100), gate.getKey() + " is linearly separable");
                assertArrayEquals(gate.getValue(), p.predict(GATE_X).data(), gate.getKey());
            }
        }
        try (Perceptron p = new Perceptron(backend, 2)) {
            assertFalse(p.fit(GATE_X, XOR, 1000), "XOR is not linearly separable");
            assertEquals(1000, p.epochsRun());
            assertFalse(java.util.Arrays.equals(XOR.data(), p.predict(GATE_X).data()));
        }
    }

    @Test
    void historyKeysValidationSplitAndEvaluate() {
        FloatMatrix[] data = blobs(200, 3, 11);
        try (Sequential model = Sequential.of(backend, new Dense(8, "relu"), new Dropout(0.2f),
                new Dense(3, "softmax"))) {
            model.compile(new Adam(0.02f), Loss.of("sparse_categorical_crossentropy"), "accuracy", "f1_score");
            History h = model.fit(data[0], data[1], new FitOptions().epochs(5).batchSize(16).validationSplit(0.25)
                    .verbose(0));
            assertEquals(List.of("loss", "accuracy", "f1_score", "val_loss", "val_accuracy", "val_f1_score"),
                    List.copyOf(h.history().keySet()));
            assertEquals(List.of(0, 1, 2, 3, 4), h.epochs());
            assertTrue(h.get("loss").get(4) < h.get("loss").get(0), "loss decreases: " + h.get("loss"));
            // validation_split holds out the last 50 samples: evaluating on them gives val_loss.
            Map<String, Double> val = model.evaluate(data[0].rowRange(150, 200), data[1].rowRange(150, 200), 16);
            assertEquals(h.last("val_loss"), val.get("loss"), 1e-6);
            assertEquals(h.last("val_accuracy"), val.get("accuracy"), 1e-9);
            assertTrue(val.get("accuracy") > 0.9, "blobs are easy: " + val);
        }
    }

    @Test
    void onBatchCallsTreatTheInputAsOneBatch() {
        SplittableRandom r = new SplittableRandom(9);
        FloatMatrix x = GradientCheckTest.random(37, 3, r, 1);
        FloatMatrix y = GradientCheckTest.random(37, 2, r, 1);
        try (Sequential model = Sequential.of(backend, new Dense(4, "relu"), new Dense(2))) {
            model.input(3).compile(new SGD(), Loss.meanSquaredError(), "mae");
            assertEquals(model.evaluate(x, y, 37), model.testOnBatch(x, y));
            Map<String, Double> batched = model.evaluate(x, y, 10);
            Map<String, Double> one = model.testOnBatch(x, y);
            assertEquals(batched.get("loss"), one.get("loss"), 1e-5);
            assertEquals(batched.get("mae"), one.get("mae"), 1e-5);
            assertArrayEquals(model.predict(x, 37).data(), model.predictOnBatch(x).data());
            assertArrayEquals(model.predict(x, 5).data(), model.predictOnBatch(x).data(), 1e-6f);
        }
    }

    @Test
    void regressionMetricsMatchHostComputation() {
        SplittableRandom r = new SplittableRandom(5);
        FloatMatrix x = GradientCheckTest.random(37, 3, r, 1);
        FloatMatrix y = GradientCheckTest.random(37, 2, r, 1);
        try (Sequential model = Sequential.of(backend, new Dense(2))) {
            model.input(3).compile(new SGD(), Loss.meanSquaredError(), "mae", "mse", "rmse", "r2_score");
            Map<String, Double> m = model.evaluate(x, y, 10);
            FloatMatrix p = model.predict(x);
            double mae = 0;
            double mse = 0;
            double[] mean = new double[2];
            for (int i = 0; i < 37; i++) {
                for (int j = 0; j < 2; j++) {
                    double e = p.get(i, j) - y.get(i, j);
                    mae += Math.abs(e);
                    mse += e * e;
                    mean[j] += y.get(i, j) / 37.0;
                }
            }
            double r2 = 0;
            for (int j = 0; j < 2; j++) {
                double res = 0;
                double tot = 0;
                for (int i = 0; i < 37; i++) {
                    res += Math.pow(y.get(i, j) - p.get(i, j), 2);
                    tot += Math.pow(y.get(i, j) - mean[j], 2);
                }
                r2 += (1 - res / tot) / 2;
            }
            assertEquals(mae / 74, m.get("mae"), 1e-5);
            assertEquals(mse / 74, m.get("mse"), 1e-5);
            assertEquals(mse / 74, m.get("loss"), 1e-5);
            assertEquals(Math.sqrt(mse / 74), m.get("root_mean_squared_error"), 1e-5);
            assertEquals(r2, m.get("r2_score"), 1e-4);
        }
    }

    @Test
    void classificationMetricsMatchHostComputation() {
        FloatMatrix[] data = blobs(60, 2, 3);
        float[] oneColumn = new float[60];
        for (int i = 0; i < 60; i++) {
            oneColumn[i] = data[1].data()[i];
        }
        FloatMatrix y = new FloatMatrix(60, 1, oneColumn);
        try (Sequential model = Sequential.of(backend, new Dense(1, "sigmoid"))) {
            model.compile(new SGD(0.1f), Loss.binaryCrossentropy(), "accuracy", "precision", "recall", "f1_score");
            model.fit(data[0], y, new FitOptions().epochs(2).verbose(0));
            Map<String, Double> m = model.evaluate(data[0], y, 7);
            FloatMatrix p = model.predict(data[0]);
            int tp = 0;
            int fp = 0;
            int fn = 0;
            int correct = 0;
            for (int i = 0; i < 60; i++) {
                boolean predicted = p.get(i, 0) > 0.5f;
                boolean actual = y.get(i, 0) == 1f;
                tp += predicted && actual ? 1 : 0;
                fp += predicted && !actual ? 1 : 0;
                fn += !predicted && actual ? 1 : 0;
                correct += predicted == actual ? 1 : 0;
            }
            double precision = tp / (double) (tp + fp);
            double recall = tp / (double) (tp + fn);
            assertEquals(correct / 60.0, m.get("accuracy"), 1e-9);
            assertEquals(precision, m.get("precision"), 1e-6);
            assertEquals(recall, m.get("recall"), 1e-6);
            assertEquals(2 * precision * recall / (precision + recall), m.get("f1_score"), 1e-4);
        }
    }

    @Test
    void regularizerPenaltyIsAddedToTheLoss() {
        SplittableRandom r = new SplittableRandom(8);
        FloatMatrix x = GradientCheckTest.random(10, 3, r, 1);
        FloatMatrix y = GradientCheckTest.random(10, 2, r, 1);
        try (Sequential plain = Sequential.of(backend, new Dense(2));
                Sequential regularized = Sequential.of(backend, new Dense(2).kernelRegularizer(
                        Regularizer.ofL1L2(0.01f, 0.02f)).biasRegularizer(Regularizer.ofL2(0.5f)))) {
            plain.input(3).compile(new SGD(), Loss.meanSquaredError());
            regularized.input(3).compile(new SGD(), Loss.meanSquaredError());
            List<FloatMatrix> w = regularized.getWeights();
            double penalty = 0;
            for (float v : w.get(0).data()) {
                penalty += 0.01 * Math.abs(v) + 0.02 * v * v;
            }
            FloatMatrix bias = new FloatMatrix(1, 2, new float[] {0.3f, -0.4f});
            regularized.setWeights(List.of(w.get(0), bias));
            plain.setWeights(List.of(w.get(0), bias));
            penalty += 0.5 * (0.09 + 0.16);
            double difference = regularized.evaluate(x, y).get("loss") - plain.evaluate(x, y).get("loss");
            assertEquals(penalty, difference, 1e-5);
        }
    }

    @Test
    void earlyStoppingRestoresBestWeights() {
        FloatMatrix[] data = blobs(40, 2, 21);
        try (Sequential model = Sequential.of(backend, new Dense(2, "softmax"))) {
            // A learning rate so large that the loss diverges after the first epochs.
            model.compile(new SGD(50f), Loss.sparseCategoricalCrossentropy(), "accuracy");
            EarlyStopping stop = new EarlyStopping("loss", 0, 1, true);
            History h = model.fit(data[0], data[1], new FitOptions().epochs(30).batchSize(40).shuffle(false)
                    .callbacks(stop).verbose(0));
            List<Double> losses = h.get("loss");
            assertTrue(losses.size() < 30, "stopped early: " + losses);
            int best = stop.bestEpoch();
            assertEquals(losses.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), losses.get(best));
        }
    }

    @Test
    void terminateOnNanStopsAtTheBatch() {
        FloatMatrix x = FloatMatrix.of(new float[][] {{Float.NaN}, {1}, {1}, {1}});
        FloatMatrix y = FloatMatrix.of(new float[][] {{1}, {1}, {1}, {1}});
        try (Sequential model = Sequential.of(backend, new Dense(1, "exponential"))) {
            model.compile(new SGD(), Loss.meanSquaredError());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TerminateOnNaN nan = new TerminateOnNaN(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            model.fit(x, y, new FitOptions().epochs(3).batchSize(2).shuffle(false).callbacks(nan).verbose(0));
            assertEquals(0, nan.stoppedEpoch());
            assertEquals(0, nan.stoppedStep());
            assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("Epoch 1, batch 1"), bytes.toString());
        }
    }

    @Test
    void nanLossIsReportedWithEpochAndStep() {
        FloatMatrix x = FloatMatrix.of(new float[][] {{1}, {1}, {Float.NaN}, {1}});
        FloatMatrix y = FloatMatrix.of(new float[][] {{1}, {1}, {1}, {1}});
        try (Sequential model = Sequential.of(backend, new Dense(1, "exponential"))) {
            model.compile(new SGD(), Loss.meanSquaredError());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            List<LogRecord> warnings;
            try (CapturedLog log = new CapturedLog(Sequential.class)) {
                model.fit(x, y, new FitOptions().epochs(1).batchSize(1).shuffle(false).verbose(2)
                        .out(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
                warnings = log.records();
            }
            // The warning goes to the logger; the console keeps only Keras's progress lines.
            assertEquals(1, warnings.size(), warnings.toString());
            assertEquals(Level.WARNING, warnings.get(0).getLevel());
            assertTrue(warnings.get(0).getMessage().contains("the loss is NaN in epoch 1 from step 3 of 4"),
                    warnings.get(0).getMessage());
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertFalse(out.contains("loss is NaN"), out);
        }
    }

    @Test
    void verboseTwoPrintsOneLinePerEpoch() {
        FloatMatrix[] data = blobs(30, 2, 4);
        try (Sequential model = Sequential.of(backend, new Dense(2, "softmax"))) {
            model.compile("sgd", "sparse_categorical_crossentropy", "acc");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.fit(data[0], data[1], new FitOptions().epochs(2).batchSize(8).verbose(2)
                    .out(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
            String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(4, lines.length, String.join("\n", lines));
            assertEquals("Epoch 1/2", lines[0]);
            assertTrue(lines[1].matches("4/4 - \\d+m?s - \\d+[mu]?s/step - acc: \\d\\.\\d{4} - loss: \\d\\.\\d{4}"),
                    lines[1]);
        }
    }

    @Test
    void verboseOneWithoutATerminalPrintsOneLinePerEpochWithValidation() {
        FloatMatrix[] data = blobs(30, 2, 4);
        try (Sequential model = Sequential.of(backend, new Dense(2, "softmax"))) {
            model.compile("sgd", "sparse_categorical_crossentropy", "accuracy");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.fit(data[0], data[1], new FitOptions().epochs(3).batchSize(8).validationSplit(0.2)
                    .out(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
            String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(6, lines.length, String.join("\n", lines));
            assertEquals("Epoch 3/3", lines[4]);
            assertTrue(lines[5].matches("3/3 - \\d+m?s - \\d+[mu]?s/step - accuracy: \\d\\.\\d{4} - loss: \\d\\.\\d{4}"
                    + " - val_accuracy: \\d\\.\\d{4} - val_loss: \\d\\.\\d{4}"), lines[5]);
        }
    }

    @Test
    void buffersArePerBatchSizeAndBounded() {
        try (Sequential model = Sequential.of(backend, new Dense(3, "relu"), new Dense(2))) {
            model.input(4).compile("sgd", "mse");
            int afterBuild = backend.liveTensors();
            model.predict(FloatMatrix.zeros(8, 4), 4);
            int onePlan = backend.liveTensors() - afterBuild;
            model.predict(FloatMatrix.zeros(10, 4), 4);
            model.predict(FloatMatrix.zeros(10, 4), 4);
            assertEquals(afterBuild + onePlan * 2, backend.liveTensors(), "batch 4 and the last batch of 2, cached");
            for (int n = 1; n <= 9; n++) {
                model.predict(FloatMatrix.zeros(n, 4), 100);
            }
            assertEquals(afterBuild + onePlan * 4, backend.liveTensors(), "at most four batch sizes are kept");
            assertEquals(6, model.predict(FloatMatrix.zeros(3, 4)).data().length);
        }
    }

    @Test
    void sameSeedSameWeightsAndSummary() {
        try (Sequential a = Sequential.of(backend, new Dense(30, "relu"), new Dense(16, "relu"),
                new Dense(3, "softmax")).seed(9);
                Sequential b = Sequential.of(backend, new Dense(30, "relu"), new Dense(16, "relu"),
                        new Dense(3, "softmax")).seed(9);
                Sequential c = Sequential.of(backend, new Dense(30, "relu"), new Dense(16, "relu"),
                        new Dense(3, "softmax")).seed(10)) {
            a.input(4);
            a.build(4);
            b.build(4);
            c.build(4);
            assertEquals(a.getWeights(), b.getWeights());
            assertNotEquals(a.getWeights(), c.getWeights());
            assertEquals(List.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias", "dense_2/kernel",
                    "dense_2/bias"), List.copyOf(a.namedWeights().keySet()));
            // glorot_uniform: |w| <= sqrt(6 / (4 + 30)); zero biases.
            double limit = Math.sqrt(6.0 / 34);
            for (float v : a.getWeights().get(0).data()) {
                assertTrue(Math.abs(v) <= limit, "glorot_uniform bound " + v);
            }
            for (float v : a.getWeights().get(1).data()) {
                assertEquals(0f, v);
            }
            assertEquals(4 * 30 + 30 + 30 * 16 + 16 + 16 * 3 + 3, a.countParams());
            String s = a.summary();
            assertTrue(s.contains("dense_2 (Dense)") && s.contains("(None, 3)") && s.contains("Total params: 697"),
                    s);
        }
    }

    @Test
    void initializersFollowKeras() {
        SplittableRandom unused = new SplittableRandom(1);
        float[] he = Initializer.heNormal().generate(400, 300, 400 * 300, 77);
        double sum = 0;
        double sq = 0;
        double max = 0;
        for (float v : he) {
            sum += v;
            sq += v * v;
            max = Math.max(max, Math.abs(v));
        }
        double mean = sum / he.length;
        double variance = sq / he.length - mean * mean;
        // Truncated normal corrected to variance scale / fan_in = 2/400, values within two raw stddevs.
        assertEquals(2.0 / 400, variance, 2.0 / 400 * 0.03);
        assertTrue(max <= 2 * Math.sqrt(2.0 / 400) / 0.87962566103423978 + 1e-6, "truncated at 2 stddev: " + max);
        float[] lecun = Initializer.lecunUniform().generate(50, 10, 500, 3);
        for (float v : lecun) {
            assertTrue(Math.abs(v) <= Math.sqrt(3.0 / 50));
        }
        assertTrue(unused.nextInt() != 0 || true);
    }

    @Test
    void weightsRoundTripAndSetWeightsIsAtomic() {
        try (Sequential model = Sequential.of(backend, new Dense(3, "relu"), new Dense(2))) {
            model.input(4).compile("adam", "mse");
            List<FloatMatrix> w = model.getWeights();
            List<FloatMatrix> bad = List.of(w.get(0), w.get(1), w.get(2), FloatMatrix.zeros(1, 3));
            FloatMatrix changed = FloatMatrix.zeros(4, 3);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> model.setWeights(List.of(changed, w.get(1), w.get(2), FloatMatrix.zeros(1, 3))));
            assertTrue(e.getMessage().contains("weights[3]") && e.getMessage().contains("[1 x 2]")
                    && e.getMessage().contains("[1 x 3]"), e.getMessage());
            assertEquals(w, model.getWeights(), "nothing changed");
            assertEquals(4, bad.size());
        }
    }

    @Test
    void saveAndLoadWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("model.safetensors");
        try (Sequential a = Sequential.of(backend, new Dense(3, "relu"), new Dense(2)).seed(1);
                Sequential b = Sequential.of(backend, new Dense(3, "relu"), new Dense(2)).seed(2);
                Sequential other = Sequential.of(backend, new Dense(4, "relu"), new Dense(2)).seed(3)) {
            a.input(5).build(5);
            a.saveWeights(file);
            b.input(5);
            b.loadWeights(file);
            assertEquals(a.getWeights(), b.getWeights());
            assertEquals(java.util.Set.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"),
                    dev.myelin.io.SafeTensors.read(file).keySet());
            other.input(5).build(5);
            List<FloatMatrix> before = other.getWeights();
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> other.loadWeights(file));
            assertTrue(e.getMessage().contains("dense/kernel") && e.getMessage().contains("[5 x 4]")
                    && e.getMessage().contains("[5 x 3]"), e.getMessage());
            assertEquals(before, other.getWeights(), "a failed load leaves the weights as they were");
        }
    }

    /** Gaussian blobs around well-separated centres: x [n x 2], labels [n x 1]. */
    static FloatMatrix[] blobs(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            double angle = 2 * Math.PI * c / classes;
            x[2 * i] = (float) (3 * Math.cos(angle) + 0.5 * r.nextGaussian());
            x[2 * i + 1] = (float) (3 * Math.sin(angle) + 0.5 * r.nextGaussian());
            y[i] = c;
        }
        return new FloatMatrix[] {new FloatMatrix(n, 2, x), new FloatMatrix(n, 1, y)};
    }
}
