package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FashionMnist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Streaming input trains Fashion-MNIST in a heap too small to hold its training images as one matrix
 * (60,000 x 784 floats = 188 MB): a child JVM with {@value #HEAP} streams the gzipped IDX files for one
 * epoch and reaches a sane test accuracy, and the control shows that loading the same images as one
 * {@code FloatMatrix} in that heap runs out of memory.
 */
class StreamingHeapTest {

    static final String HEAP = "-Xmx32m";
    private static final long MATRIX_BYTES = 60_000L * 784 * 4;

    private static Path dataDir() {
        Path dir = Path.of(FashionMnist.SYSTEM_DIR);
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))
                && Files.isRegularFile(dir.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST is not installed in " + dir + " (sudo apt-get install dataset-fashion-mnist)");
        return dir;
    }

    private static Map<String, String> run(String mode, Path dir) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), HEAP, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), StreamingHeapMain.class.getName(), mode, dir.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        assertEquals(0, child.exitValue(), output);
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.substring(0, eq).contains(" ")) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        values.put("output", output);
        return values;
    }

    @Test
    void streamingTrainsFashionMnistInAHeapThatCannotHoldItAsOneMatrix() throws Exception {
        Path dir = dataDir();
        Map<String, String> r = run("stream", dir);
        String out = r.get("output");
        assertTrue(Long.parseLong(r.get("max_heap")) < MATRIX_BYTES / 4, out);
        assertEquals("938", r.get("iterations"), "one epoch of 60,000 samples in batches of 64: " + out);
        double accuracy = Double.parseDouble(r.get("test_accuracy"));
        assertTrue(accuracy > 0.75, "test accuracy after one streamed epoch: " + out);
        System.out.println("streamed Fashion-MNIST with " + HEAP + ": " + out.replace('\n', ' '));
    }

    @Test
    void theSameHeapCannotLoadTheTrainingImagesAsOneMatrix() throws Exception {
        Path dir = dataDir();
        Map<String, String> r = run("load", dir);
        assertTrue(r.containsKey("out_of_memory"), "loading must fail in " + HEAP + ": " + r.get("output"));
    }
}
