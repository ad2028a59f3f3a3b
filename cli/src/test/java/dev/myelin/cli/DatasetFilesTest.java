package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFilesTest {

    @TempDir
    Path dir;

    @Test
    void acceptsRawAndGzipFiles() throws Exception {
        Files.createFile(dir.resolve("train-images-idx3-ubyte.gz"));
        Files.createFile(dir.resolve("train-labels-idx1-ubyte"));
        Files.createFile(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertEquals(List.of("t10k-labels-idx1-ubyte"), DatasetFiles.missing(dir));
        Files.createFile(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(List.of(), DatasetFiles.missing(dir));
        assertEquals(dir, DatasetFiles.fashionMnist(dir, new PrintWriter(new StringWriter())));
    }

    @Test
    void aGivenDirectoryWithoutTheFilesIsNeverReplacedByTheDefault() throws IOException {
        Files.createFile(dir.resolve("train-images-idx3-ubyte"));
        var e = assertThrows(CommandFailure.class, () -> DatasetFiles.fashionMnist(dir, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("lacks train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"),
                e.getMessage());
    }
}
