package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code myelin train} checks its output paths ({@code --save}, {@code --plot}) before it reads the data
 * or trains: a path that cannot be written is a usage error at once, not a failure after the run.
 */
class OutputPathCheckTest {

    @TempDir
    Path dir;

    /** Trains iris briefly with {@code option path}; the run must be refused before "Training". */
    private CommandRun refused(String option, Path path, String message) {
        CommandRun run = CommandRun.of("train", "iris", "--layers", "4", "--epochs", "1", option, path.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains(option + ": cannot write " + path), run::toString);
        assertTrue(run.err().contains(message), run::toString);
        assertFalse(run.out().contains("Training"), "refused before training: " + run);
        return run;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--save", "--plot"})
    void aFolderIsRefused(String option) throws IOException {
        refused(option, Files.createDirectory(dir.resolve("out")), "is a folder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--save", "--plot"})
    void aFileInThePlaceOfTheFolderIsRefused(String option) throws IOException {
        Files.writeString(dir.resolve("notes"), "x");
        refused(option, dir.resolve("notes/w.out"), "is a file, not a folder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--save", "--plot"})
    void aFifoIsRefused(String option) throws Exception {
        Path fifo = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is not available");
        refused(option, fifo, "FIFO");
        assertFalse(Files.isRegularFile(fifo), "the FIFO is left as it was");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--save", "--plot"})
    void aDeviceIsRefused(String option) {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")), "no /dev/null here");
        refused(option, Path.of("/dev/null"), "character device");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--save", "--plot"})
    void anUnwritableFolderIsRefused(String option) throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // Root ignores permissions; a folder of /proc takes no new file whoever asks.
            Path target = Files.isWritable(readOnly) ? Path.of("/proc/self/w.out") : readOnly.resolve("w.out");
            refused(option, target, "cannot create files in this folder");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void foldersThatCanBeMadeAreMadeAndTheFilesWritten() throws IOException {
        Path weights = dir.resolve("new/deeper/iris.safetensors");
        Path png = dir.resolve("plots/iris.png");
        CommandRun run = CommandRun.of("train", "iris", "--layers", "4", "--epochs", "2", "--save", weights.toString(),
                "--plot", png.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(4, SafeTensors.read(weights).size());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void saveThroughASymlinkUpdatesItsTarget() throws IOException {
        Path real = dir.resolve("real.safetensors");
        Path link = Files.createSymbolicLink(dir.resolve("latest.safetensors"), real.getFileName());
        CommandRun run = CommandRun.of("train", "iris", "--layers", "4", "--epochs", "1", "--save", link.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(4, SafeTensors.read(real).size());
    }
}
