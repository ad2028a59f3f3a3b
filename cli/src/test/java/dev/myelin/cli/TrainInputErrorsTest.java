package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code myelin train} says about data and options a user gets wrong, each before any training. */
class TrainInputErrorsTest {

    @TempDir
    Path dir;

    private static void assertFailsBeforeTraining(CommandRun run, int code, String... parts) {
        assertEquals(code, run.exitCode(), run::toString);
        for (String part : parts) {
            assertTrue(run.err().contains(part), "'" + part + "' in: " + run);
        }
        assertFalse(run.out().contains("Training"), "nothing trained: " + run);
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
    }

    @Test
    void aMissingCsvFileSaysWhatIsMissingAndWhatWasExpected() {
        Path missing = dir.resolve("nonexistent.csv");
        assertFailsBeforeTraining(CommandRun.of("train", "csv:" + missing), 1, missing.toString(), "no such file",
                "expected a CSV file");
    }

    @Test
    void aFolderGivenAsCsvIsNamed() {
        assertFailsBeforeTraining(CommandRun.of("train", "csv:" + dir), 1, dir.toString(), "is a folder",
                "expected a CSV file");
    }

    @Test
    void aSemicolonSeparatedCsvNamesTheDelimiterItLooksLike() throws IOException {
        Path file = Files.writeString(dir.resolve("semi.csv"), "a;b;label\n1;2;x\n3;4;y\n5;6;x\n7;8;y\n");
        assertFailsBeforeTraining(CommandRun.of("train", "csv:" + file), 1, file.toString(), "one column only",
                "looks separated by ';'");
    }

    @Test
    void aSemicolonSeparatedCsvTrainsWithTheDelimiterOption() throws IOException {
        StringBuilder csv = new StringBuilder("a;b;label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i).append(';').append(i % 7).append(';').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Path file = Files.writeString(dir.resolve("semi.csv"), csv);
        CommandRun run = CommandRun.of("train", "csv:" + file, "--delimiter", ";", "--layers", "4", "--epochs", "2");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("32 training and 8 test samples, 2 features, 2 classes"), run::toString);
    }

    @Test
    void aCsvTooSmallToSplitFailsBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("two.csv"), "a,b,label\n1,2,x\n3,4,y\n");
        assertFailsBeforeTraining(CommandRun.of("train", "csv:" + file), 1, "2 samples cannot be split 80/20");
    }

    @Test
    void labelColumnAndDelimiterAreRefusedForTheIdxSets() {
        CommandRun run = CommandRun.of("train", "fashion-mnist", "--label-column", "3");
        assertFailsBeforeTraining(run, 2, "--label-column applies to csv:PATH data only");
        run = CommandRun.of("train", "mnist", "--delimiter", ";");
        assertFailsBeforeTraining(run, 2, "--delimiter applies to csv:PATH data only");
    }

    @Test
    void aBackendListIsAnOrderOfPreference() {
        // The first available name of the list runs; an unavailable one before it is skipped.
        CommandRun run = CommandRun.of("train", "iris", "--layers", "4", "--epochs", "1", "--backend", "cpu,opencl");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Backend: cpu"), run::toString);
        String second = Backends.availableNames().contains("cuda") ? "cuda" : "cpu";
        run = CommandRun.of("train", "iris", "--layers", "4", "--epochs", "1", "--backend", "cuda," + second);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Backend: " + (Backends.availableNames().contains("cuda") ? "cuda" : second)),
                run::toString);
    }

    @Test
    void layersThatCannotFitGiveAClearMessage() {
        long bytes = 30000L * 30000L * Float.BYTES;
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 2 * bytes,
                "this JVM's heap could hold two 30000x30000 tensors");
        CommandRun run = CommandRun.of("train", "iris", "--layers", "30000,30000", "--epochs", "1", "--backend", "cpu");
        assertFailsBeforeTraining(run, 1, "[30000 x 30000]", "Java heap");
    }

    /**
     * In a 400 MiB heap an [8000 x 8000] kernel (244 MiB) fits as a tensor, but not beside the host array of
     * its initial values: the command says so and exits 1, instead of dying of an OutOfMemoryError.
     */
    @Test
    void initialValuesThatDoNotFitTheHeapGiveAClearMessage() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "-Xmx400m",
                "-cp", System.getProperty("java.class.path"), MyelinCommand.class.getName(), "train", "iris",
                "--layers", "8000,8000", "--epochs", "1", "--backend", "cpu"))
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        assertEquals(1, child.exitValue(), output);
        for (String part : new String[] {"[8000 x 8000]", "dense_1/kernel", "initial values", "Java heap", "-Xmx"}) {
            assertTrue(output.contains(part), "'" + part + "' in: " + output);
        }
        assertFalse(output.contains("OutOfMemoryError") || output.contains("\tat "), output);
        assertFalse(output.contains("Training"), "nothing trained: " + output);
    }
}
