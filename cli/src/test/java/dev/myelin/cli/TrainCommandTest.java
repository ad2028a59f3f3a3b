package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.io.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrainCommandTest {

    private static final Pattern TEST_ACCURACY = Pattern.compile("Test: +loss: [0-9.]+ - accuracy: ([0-9.]+)");

    @TempDir
    Path dir;

    static double testAccuracy(CommandRun run) {
        Matcher m = TEST_ACCURACY.matcher(run.out());
        assertTrue(m.find(), "a Test: line: " + run);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainsIrisAndSavesWeightsAndPlot() throws IOException {
        Path weights = dir.resolve("iris.safetensors");
        Path png = dir.resolve("plots/iris.png");
        CommandRun run = CommandRun.of("train", "iris", "--layers", "16", "--epochs", "40", "--batch-size", "8",
                "--save", weights.toString(), "--plot", png.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("iris: 120 training and 30 test samples, 4 features, 3 classes"), run::toString);
        assertTrue(run.out().contains("Total params: 131"), "the summary: 4*16+16 + 16*3+3: " + run);
        assertTrue(run.out().contains("Epoch 40/40"), run::toString);
        assertTrue(testAccuracy(run) >= 0.8, "a 4-16-3 network learns iris: " + run);

        Map<String, FloatMatrix> saved = SafeTensors.read(weights);
        assertEquals(List.of(4, 16), List.of(saved.get("dense/kernel").rows(), saved.get("dense/kernel").cols()));
        assertEquals(4, saved.size(), saved::toString);
        assertTrue(Files.size(png) > 1000, "a PNG was written");
    }

    @Test
    void trainsOnACsvFileWithANamedLabelColumn() throws IOException {
        // Two classes split by the sign of x + y; the label column comes first.
        StringBuilder csv = new StringBuilder("side,x,y\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            double x = r.nextDouble(-1, 1);
            double y = r.nextDouble(-1, 1);
            csv.append(x + y > 0 ? "above" : "below").append(',').append(x).append(',').append(y).append('\n');
        }
        Path file = Files.writeString(dir.resolve("points.csv"), csv);
        CommandRun run = CommandRun.of("train", "csv:" + file, "--label-column", "side", "--layers", "8",
                "--epochs", "60", "--batch-size", "16", "--validation-split", "0");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("160 training and 40 test samples, 2 features, 2 classes"), run::toString);
        assertTrue(testAccuracy(run) >= 0.85, "a linear boundary is easy: " + run);
    }

    @Test
    void trainsOnIdxFilesInADataDirectory() throws IOException {
        Path data = IdxFixture.write(dir.resolve("idx"), 300, 100, 1);
        CommandRun run = CommandRun.of("train", "fashion-mnist", "--data-dir", data.toString(), "--epochs", "3",
                "--layers", "32", "--batch-size", "32");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("300 training and 100 test samples, 784 features, 10 classes (from " + data),
                run::toString);
        assertTrue(testAccuracy(run) >= 0.5, "the bands are easy to tell apart: " + run);
        // The test confusion matrix: a header and one row per class, the counts summing to the test samples.
        String out = run.out();
        int at = out.indexOf("Confusion matrix (test");
        assertTrue(at >= 0, run::toString);
        String[] lines = out.substring(at).split("\\R");
        long total = 0;
        for (int c = 0; c < 10; c++) {
            String[] cells = lines[2 + c].trim().split("\\s+");
            assertEquals(Integer.toString(c), cells[0], run::toString);
            for (int j = 1; j < cells.length; j++) {
                total += Long.parseLong(cells[j]);
            }
        }
        assertEquals(100, total, run::toString);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--epochs|0|--epochs must be >= 1, got 0",
            "--batch-size|0|--batch-size must be >= 1, got 0",
            "--validation-split|1|--validation-split must be in [0, 1), got 1.0",
            "--layers|64,0|--layers: every hidden layer's units must be >= 1, got 0",
            "--layers|64,x|Invalid value for option '--layers'",
            "--optimizer|adamw2|--optimizer: argument 'optimizer': unknown optimizer 'adamw2'",
            "--loss|cross|--loss: argument 'loss': unknown loss 'cross'",
            "--activation|swishy|--activation: argument 'activation': unknown activation 'swishy'",
            "--learning-rate|-1|--learning-rate: optimizer: argument 'learning_rate' must be finite and > 0, got -1.0",
    })
    void badOptionValuesAreUsageErrors(String option, String value, String message) {
        CommandRun run = CommandRun.of("train", "iris", option, value);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains(message), run::toString);
        assertTrue(run.err().contains("Usage: myelin train"), run::toString);
    }

    @Test
    void unknownDataSetIsAUsageError() {
        CommandRun run = CommandRun.of("train", "cifar10");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("unknown data set 'cifar10': expected fashion-mnist, mnist, iris or csv:PATH"),
                run::toString);
    }

    @Test
    void unknownBackendNamesTheChoices() {
        CommandRun run = CommandRun.of("train", "iris", "--backend", "tpu");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("unknown backend 'tpu'"), run::toString);
    }

    @Test
    void aMalformedCsvFileIsNamedInTheError() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,2,x\n3,oops,y\n");
        CommandRun run = CommandRun.of("train", "csv:" + file);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains(file.toString()), run::toString);
        assertTrue(run.err().contains("line 3"), run::toString);
    }

    /** A run that diverges: Adam at a learning rate of 1e30 on iris as a CSV file with a header. */
    private Diverged diverge(String backend) throws IOException {
        Path csv = dir.resolve("data.csv");
        if (!Files.exists(csv)) {
            try (InputStream in = TrainCommandTest.class.getResourceAsStream("/dev/myelin/data/iris.csv")) {
                Files.copy(in, csv);
            }
        }
        // The NaN warning goes through System.Logger (java.util.logging by default), not the console.
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.myelin.nn.Sequential");
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add("Warning: " + r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            CommandRun run = CommandRun.of("train", "csv:" + csv, "--learning-rate", "1e30", "--epochs", "3",
                    "--backend", backend, "--save", dir.resolve(backend + ".safetensors").toString());
            return new Diverged(run, warnings);
        } finally {
            log.removeHandler(capture);
        }
    }

    /** A diverging run and the warnings it logged. */
    private record Diverged(CommandRun run, List<String> warnings) {
        @Override
        public String toString() {
            return warnings + "\n" + run;
        }
    }

    /** The NaN warnings, the per-epoch metrics (without the timings) and the test line of a run. */
    private static List<String> outcome(Diverged d) {
        List<String> lines = new ArrayList<>(d.warnings());
        for (String line : d.run().out().split("\\R")) {
            if (line.startsWith("Test:")) {
                lines.add(line);
            } else if (line.contains(" - accuracy: ")) {
                lines.add(line.substring(line.indexOf("accuracy: ")));
            }
        }
        return lines;
    }

    /**
     * The loss of a diverging run is NaN, and says so, on every backend: an OpenCL kernel that dropped
     * NaN (fmax, clamp) used to print a finite loss of -ln(1e-7) and no warning for the same run.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void aDivergingRunShowsNaNAndWarnsAlikeOnEveryBackend(String backend) throws IOException {
        assumeTrue(Backends.availableNames().contains(backend), backend + " is not available here: "
                + Backends.describe());
        Diverged run = diverge(backend);
        assertEquals(0, run.run().exitCode(), run::toString);
        List<String> outcome = outcome(run);
        for (int epoch = 1; epoch <= 3; epoch++) {
            String warning = "Warning: the loss is NaN in epoch " + epoch + " from step ";
            assertTrue(outcome.stream().anyMatch(l -> l.startsWith(warning)), warning + "...: " + run);
        }
        assertEquals(3, outcome.stream().filter(l -> l.contains("- loss: NaN - ")).count(), "every epoch's loss: " + run);
        assertTrue(outcome.stream().anyMatch(l -> l.startsWith("Test:") && l.contains("loss: NaN")), run::toString);
        Map<String, FloatMatrix> saved = SafeTensors.read(dir.resolve(backend + ".safetensors"));
        assertTrue(Float.isNaN(saved.get("dense/kernel").get(0, 0)), "the saved weights are NaN: " + saved);
        if (!backend.equals("cpu")) {
            assertEquals(outcome(diverge("cpu")), outcome, "the same warnings, metrics and test line as on the CPU");
        }
    }
}
