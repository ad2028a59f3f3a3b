package dev.myelin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    private static Map<String, FloatMatrix> weights(float v) {
        Map<String, FloatMatrix> m = new LinkedHashMap<>();
        m.put("w", new FloatMatrix(1, 2, new float[] {v, v + 1}));
        return m;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void savingOntoASymlinkReplacesItsTargetAndKeepsTheLink() throws IOException {
        Path real = dir.resolve("models/real.safetensors");
        Files.createDirectories(real.getParent());
        SafeTensors.write(real, weights(1));
        Path link = Files.createSymbolicLink(dir.resolve("latest.safetensors"), Path.of("models/real.safetensors"));
        Path chain = Files.createSymbolicLink(dir.resolve("chain.safetensors"), link.getFileName());

        SafeTensors.write(chain, weights(5));

        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertTrue(Files.isSymbolicLink(chain), "the link to the link is still a link");
        assertEquals(5f, SafeTensors.read(real).get("w").get(0, 0), "the link's final target has the new weights");
        assertEquals(5f, SafeTensors.read(link).get("w").get(0, 0));
        assertEquals(List.of("chain.safetensors", "latest.safetensors", "models"), names(), "no temp file left");
    }

    @Test
    void aDanglingSymlinkGetsItsTargetCreated() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("w.safetensors"), Path.of("target.safetensors"));
        SafeTensors.write(link, weights(2));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(2f, SafeTensors.read(dir.resolve("target.safetensors")).get("w").get(0, 0));
    }

    @Test
    void aFolderIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("w.safetensors"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> SafeTensors.write(folder, weights(1)));
        assertTrue(e.getMessage().contains(folder.toString()) && e.getMessage().contains("is a folder"), e.getMessage());
        assertEquals(List.of("w.safetensors"), names(), "nothing written next to it");
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void aFifoIsRefusedAndLeftAsItWas() throws Exception {
        Path fifo = dir.resolve("pipe.safetensors");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is not available");
        FileSystemException e = assertThrows(FileSystemException.class, () -> SafeTensors.write(fifo, weights(1)));
        assertTrue(e.getMessage().contains("FIFO") && e.getMessage().contains(fifo.toString()), e.getMessage());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO is still a FIFO");
        assertEquals(List.of("pipe.safetensors"), names());
        IOException check = assertThrows(IOException.class, () -> AtomicFile.checkDestination(fifo, true));
        assertTrue(check.getMessage().contains("FIFO"), check.getMessage());
    }

    @Test
    void aDeviceIsRefused() {
        Path device = Path.of("/dev/null");
        Assumptions.assumeTrue(Files.exists(device), "no /dev/null here");
        FileSystemException e = assertThrows(FileSystemException.class, () -> SafeTensors.write(device, weights(1)));
        assertTrue(e.getMessage().contains("character device"), e.getMessage());
        assertTrue(Files.exists(device) && !Files.isRegularFile(device));
    }

    @Test
    void aMissingFolderIsNamed() {
        Path file = dir.resolve("missing/w.safetensors");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafeTensors.write(file, weights(1)));
        assertTrue(e.getMessage().contains(dir.resolve("missing").toString()), e.getMessage());
    }

    @Test
    void checkDestinationAcceptsAFolderThatCanBeMadeAndRefusesAFileInTheWay() throws IOException {
        assertEquals(dir.toRealPath().resolve("a/b/w.safetensors"),
                AtomicFile.checkDestination(dir.resolve("a/b/w.safetensors"), true));
        assertFalse(Files.exists(dir.resolve("a")), "the check makes no folder");
        assertThrows(NoSuchFileException.class, () -> AtomicFile.checkDestination(dir.resolve("a/w.safetensors"), false));
        Files.writeString(dir.resolve("file"), "x");
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFile.checkDestination(dir.resolve("file/w.safetensors"), true));
        assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
        assertEquals(List.of("file"), names(), "the probe file is gone");
    }

    @Test
    void aReadOnlyDestinationIsRefusedUpFront() throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // Root ignores permissions; a folder of /proc takes no new file whoever asks.
            Path target = Files.isWritable(readOnly) ? Path.of("/proc/self/w.safetensors") : readOnly.resolve("w.safetensors");
            FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFile.checkDestination(target, true));
            assertTrue(e.getMessage().contains("cannot create files in this folder"), e.getMessage());
            assertThrows(IOException.class, () -> SafeTensors.write(target, weights(1)));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void staleTempFilesOfTheTargetAreRemovedByTheNextSave() throws IOException {
        Path target = dir.resolve("w.safetensors");
        Path stale = Files.writeString(dir.resolve(".w.safetensors.myelin-tmp-0123456789abcdef"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(AtomicFile.STALE_AFTER).minusSeconds(60)));
        Path young = Files.writeString(dir.resolve(".w.safetensors.myelin-tmp-fedcba9876543210"), "running");
        Path otherTarget = Files.writeString(dir.resolve(".x.safetensors.myelin-tmp-0123456789abcdef"), "other");
        Files.setLastModifiedTime(otherTarget, FileTime.from(Instant.now().minusSeconds(3600)));

        SafeTensors.write(target, weights(3));

        assertFalse(Files.exists(stale), "an old temp file of this target is removed");
        assertTrue(Files.exists(young), "a young one may be another save in progress");
        assertTrue(Files.exists(otherTarget), "another target's temp files are not this save's business");
        assertEquals(3f, SafeTensors.read(target).get("w").get(0, 0));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemp() throws IOException {
        Path target = dir.resolve("notes.txt");
        Files.writeString(target, "old");
        assertThrows(IOException.class, () -> AtomicFile.write(target, channel -> {
            channel.write(ByteBuffer.wrap("half".getBytes(StandardCharsets.UTF_8)));
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("notes.txt"), names());
        AtomicFile.write(target, channel -> channel.write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8))));
        assertEquals("new", Files.readString(target));
    }

    @Test
    void readingAFolderOrAMissingFileNamesThePath() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("weights"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> SafeTensors.read(folder));
        assertTrue(e.getMessage().contains(folder.toString()) && e.getMessage().contains("is a folder"), e.getMessage());
        Path missing = dir.resolve("none.safetensors");
        e = assertThrows(NoSuchFileException.class, () -> SafeTensors.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"), e.getMessage());
    }
}
