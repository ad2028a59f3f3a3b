package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import dev.myelin.data.BatchSource;
import dev.myelin.data.DataSplit;
import dev.myelin.data.Datasets;
import dev.myelin.data.FashionMnist;
import dev.myelin.data.FloatMatrix;
import dev.myelin.data.StandardScaler;
import dev.myelin.nn.Adam;
import dev.myelin.nn.BackupAndRestore;
import dev.myelin.nn.CSVLogger;
import dev.myelin.nn.Dense;
import dev.myelin.nn.EarlyStopping;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.History;
import dev.myelin.nn.Loss;
import dev.myelin.nn.ModelCheckpoint;
import dev.myelin.nn.ReduceLROnPlateau;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples in README.md compile and do what the README says (the code here is the README's, verbatim). */
class ReadmeExampleTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLES = Path.of("..", "examples", "src", "main", "java", "dev", "myelin", "examples");
    private static final Path SELF = Path.of("src", "test", "java", "dev", "myelin", "cli", "ReadmeExampleTest.java");

    @Test
    void gemmExamplePrintsTheProduct() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        float[] product;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            product = gemm();
        } finally {
            System.setOut(saved);
        }
        assertArrayEquals(new float[] {58, 64, 139, 154}, product);
        assertEquals(Backends.defaultName() + ": [58.0, 64.0, 139.0, 154.0]",
                captured.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void gemmExampleIsTheReadmeBlock() throws IOException {
        assertEquals(readmeBlock("ReadmeExampleTest.gemm"), sourceBlock("gemm"));
    }

    @Test
    void kerasExampleLearnsIris() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Map<String, Double> test;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            test = keras();
        } finally {
            System.setOut(saved);
        }
        assertTrue(test.get("accuracy") >= 0.8, "a 4-16-3 network learns iris: " + test);
        assertTrue(captured.toString(StandardCharsets.UTF_8).startsWith("training loss "), captured::toString);
    }

    @Test
    void kerasExampleIsTheReadmeBlock() throws IOException {
        assertEquals(readmeBlock("ReadmeExampleTest.keras"), sourceBlock("keras"));
    }

    @Test
    void theExamplesProjectRunsTheReadmeBlocks() throws IOException {
        // examples/ is built and run by .ci/run against the installed jars; here: it runs the same code.
        assertEquals(readmeBlock("ReadmeExampleTest.gemm"), markedBlock(EXAMPLES.resolve("GemmExample.java"), "gemm"));
        assertEquals(readmeBlock("ReadmeExampleTest.keras"), markedBlock(EXAMPLES.resolve("IrisExample.java"), "keras"));
    }

    private static Map<String, Double> keras() {
        // README keras begin
        DataSplit split = Datasets.iris().stratifiedSplit(0, 0.2, 42);   // 150 flowers: 80 % training, 20 % test
        StandardScaler scaler = new StandardScaler();
        scaler.fit(split.train().features());
        try (Sequential model = new Sequential(Backends.get())) {
            model.input(4)
                 .add(new Dense(16, "relu"))
                 .add(new Dense(3, "softmax"));
            model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            History history = model.fit(scaler.transform(split.train().features()), split.train().labels(),
                    new FitOptions().epochs(100).batchSize(16).verbose(0));
            Map<String, Double> test = model.evaluate(scaler.transform(split.test().features()), split.test().labels());
            System.out.println("training loss " + history.last("loss") + ", test " + test);
        // README keras end
            return test;
        }
    }

    @Test
    void callbacksExampleCheckpointsLogsAndCleansUp(@TempDir Path dir) throws IOException {
        DataSplit split = Datasets.iris().stratifiedSplit(0, 0.2, 42);
        StandardScaler scaler = new StandardScaler();
        scaler.fit(split.train().features());
        FloatMatrix x = scaler.transform(split.train().features());
        FloatMatrix y = split.train().labels();
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            callbacks(x, y, dir);
        } finally {
            System.setOut(saved);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains(" epochs, last learning rate "),
                captured::toString);
        try (Sequential best = Sequential.load(dir.resolve("best.myelin"), Backends.get())) {
            assertTrue(best.iterations() > 0, "the best epoch's model, loadable");
        }
        List<String> csv = Files.readAllLines(dir.resolve("training.csv"));
        // CSVLogger comes after ReduceLROnPlateau, so it sees the learning_rate that one adds.
        assertEquals("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", csv.get(0), "Keras's columns");
        assertTrue(!Files.exists(dir.resolve("backup")), "the backup is deleted when the fit ends");
    }

    @Test
    void callbacksExampleIsTheReadmeBlock() throws IOException {
        assertEquals(readmeBlock("ReadmeExampleTest.callbacks"), markedBlock(SELF, "callbacks"));
    }

    private static void callbacks(FloatMatrix x, FloatMatrix y, Path dir) {
        // README callbacks begin
        try (Sequential model = new Sequential(Backends.get())) {
            model.input(4).add(new Dense(16, "relu")).add(new Dense(3, "softmax"));
            model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            History history = model.fit(x, y, new FitOptions().epochs(60).batchSize(16).validationSplit(0.2).verbose(0)
                    .callbacks(new ModelCheckpoint(dir.resolve("best.myelin")).monitor("val_accuracy").saveBestOnly(true),
                            new ReduceLROnPlateau("val_loss", 0.5, 3, "auto", 1e-4, 0, 1e-5, null),
                            new EarlyStopping("val_loss", 0, 10, true),
                            new CSVLogger(dir.resolve("training.csv")),
                            new BackupAndRestore(dir.resolve("backup"))));
            System.out.println(history.epochs().size() + " epochs, last learning rate " + history.last("learning_rate"));
        }
        // README callbacks end
    }

    @Test
    void lossesExampleCallsAndTrains() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        double loss;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            loss = losses();
        } finally {
            System.setOut(saved);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).startsWith("0.5 [0.5, 0.5], mean_absolute_cubed_error "),
                captured::toString);
        assertTrue(Double.isFinite(loss), "the user's loss trains: " + captured);
    }

    @Test
    void lossesExampleIsTheReadmeBlock() throws IOException {
        assertEquals(readmeBlock("ReadmeExampleTest.losses"), sourceBlock("losses"));
    }

    private static double losses() {
        // README losses begin
        FloatMatrix yTrue = FloatMatrix.of(new float[][] {{0, 1}, {0, 0}});
        FloatMatrix yPred = FloatMatrix.of(new float[][] {{1, 1}, {1, 0}});
        double mse = Loss.meanSquaredError().call(yTrue, yPred);             // 0.5, keras.losses.MeanSquaredError()(t, p)
        float[] each = Loss.meanSquaredError().callPerSample(yTrue, yPred);  // [0.5, 0.5], Keras's reduction=None
        Loss cubed = new Loss("mean_absolute_cubed_error") {                 // a loss of your own
            @Override
            protected float sampleLoss(float[] t, float[] p, float[] gradient) {   // one sample: value and d/dp
                float sum = 0;
                for (int j = 0; j < p.length; j++) {
                    float e = p[j] - t[j];
                    sum += Math.abs(e * e * e);
                    gradient[j] = 3 * e * Math.abs(e) / p.length;
                }
                return sum / p.length;
            }
        };
        try (Sequential model = new Sequential(Backends.get())) {
            model.input(2).add(new Dense(8, "gelu")).add(new Dense(2));
            model.compile(new Adam(0.01f), cubed);
            History history = model.fit(yPred, yTrue, new FitOptions().epochs(50).verbose(0));
            System.out.println(mse + " " + Arrays.toString(each) + ", " + cubed.name() + " " + history.last("loss"));
        // README losses end
            return history.last("loss");
        }
    }

    @Test
    void streamingExampleTrainsFashionMnistFromTheFiles() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of(FashionMnist.SYSTEM_DIR, "train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed in " + FashionMnist.SYSTEM_DIR);
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        double accuracy;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            accuracy = streaming();
        } finally {
            System.setOut(saved);
        }
        assertTrue(accuracy > 0.75, "test accuracy after 1,000 streamed batches: " + captured);
    }

    @Test
    void streamingExampleIsTheReadmeBlock() throws IOException {
        assertEquals(readmeBlock("ReadmeExampleTest.streaming"), sourceBlock("streaming"));
    }

    private static double streaming() throws IOException {
        // README streaming begin
        BatchSource train = FashionMnist.trainingSource(null).shuffleBuffer(8192);   // read from the .gz files
        try (Sequential model = new Sequential(Backends.get())) {
            model.input(784).add(new Dense(64, "relu")).add(new Dense(10, "softmax"));
            model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            model.fit(train, new FitOptions().epochs(2).batchSize(64).stepsPerEpoch(500)   // 500 batches an epoch
                    .classWeight(Map.of(6, 2.0)).verbose(0));                           // class 6, "Shirt", counts double
            Map<String, Double> test = model.evaluate(FashionMnist.testSource(null), 256);
            System.out.println("test " + test);
        // README streaming end
            return test.get("accuracy");
        }
    }

    private static float[] gemm() {
        // README gemm begin
        Backend backend = Backends.get();   // the best available backend, or the one MYELIN_BACKEND names
        try (Tensor a = backend.tensor(2, 3, new float[] {1, 2, 3, 4, 5, 6});
             Tensor b = backend.tensor(3, 2, new float[] {7, 8, 9, 10, 11, 12});
             Tensor c = backend.tensor(2, 2)) {
            backend.gemm(false, false, 1f, a, b, 0f, c);   // c = 1·a·b + 0·c
            float[] product = c.toArray();                 // waits for the device, then copies to the host
            System.out.println(backend.name() + ": " + Arrays.toString(product));
            // cpu: [58.0, 64.0, 139.0, 154.0]
        // README gemm end
            return product;
        }
    }

    /** The lines of the first java block after the marker comment {@code <!-- NAME...}, indentation removed. */
    static List<String> readmeBlock(String name) throws IOException {
        List<String> lines = Files.readAllLines(README);
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith("<!-- " + name)) {
            i++;
        }
        while (i < lines.size() && !lines.get(i).equals("```java")) {
            i++;
        }
        List<String> block = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
            block.add(lines.get(i).strip());
        }
        if (i >= lines.size()) {
            throw new AssertionError(README + ": no complete java block after '<!-- " + name + "'");
        }
        return block;
    }

    /** The lines of this file between {@code // README NAME begin} and {@code end}, indentation removed. */
    static List<String> sourceBlock(String name) throws IOException {
        // The README block closes the try block that the test keeps open to return its result.
        List<String> block = new ArrayList<>(markedBlock(SELF, name));
        block.add("}");
        return block;
    }

    /** The lines of {@code file} between {@code // README NAME begin} and {@code end}, indentation removed. */
    static List<String> markedBlock(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().map(String::strip).toList();
        int from = lines.indexOf("// README " + name + " begin");
        int to = lines.indexOf("// README " + name + " end");
        if (from < 0 || to < from) {
            throw new AssertionError(file + ": no README " + name + " markers");
        }
        return lines.subList(from + 1, to);
    }
}
