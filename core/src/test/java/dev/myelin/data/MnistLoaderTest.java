package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistLoaderTest {

    @TempDir
    Path dir;

    /** A small data set in the MNIST layout: 12 training and 5 test images of 4x4, some files gzipped. */
    private Path fakeDataSet(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("train-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(12, 4, 4)));
        Files.write(folder.resolve("train-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(12, 10)));
        Files.write(folder.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(5, 4, 4));
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(5, 10));
        return folder;
    }

    @Test
    void loadsFromTheGivenFolder() throws IOException {
        Path folder = fakeDataSet(dir.resolve("given"));
        TrainTest data = FashionMnist.DATA_SET.load(folder, null);
        assertEquals(folder, data.source());
        assertEquals(12, data.train().size());
        assertEquals(16, data.train().featureCount());
        assertEquals(5, data.test().size());
        assertEquals(FashionMnist.CLASS_NAMES, data.train().classNames());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, data.test().classLabels());
        assertEquals(7 / 255f, data.train().features().get(1, 0), 1e-7f);
    }

    @Test
    void searchesTheEnvironmentFolderThenItsSubfolder() throws IOException {
        Path env = dir.resolve("env");
        fakeDataSet(env.resolve("fashion-mnist"));
        assertEquals(env.resolve("fashion-mnist"), FashionMnist.DATA_SET.locate(null, env.toString()));
        Path flat = fakeDataSet(dir.resolve("flat"));
        assertEquals(flat, Mnist.DATA_SET.locate(null, flat.toString()));
    }

    @Test
    void aFolderTheUserNamesIsTheOnlyPlaceLookedIn() throws IOException {
        Path env = dir.resolve("env");
        fakeDataSet(env.resolve("fashion-mnist"));
        Path typo = dir.resolve("nothing-here");
        MissingDataException e = assertThrows(MissingDataException.class,
                () -> FashionMnist.DATA_SET.locate(typo, env.toString()));
        assertTrue(e.getMessage().contains(typo.toString()), e.getMessage());
        assertFalse(e.getMessage().contains(env.toString() + "/"), e.getMessage());
    }

    @Test
    void missingDataSaysWhereItLookedAndHowToGetIt() {
        IdxDataSet noSystem = new IdxDataSet("Fashion-MNIST", "fashion-mnist", dir.resolve("no-system-dir"),
                "install it with `sudo apt-get install dataset-fashion-mnist`", FashionMnist.CLASS_NAMES);
        MissingDataException e = assertThrows(MissingDataException.class,
                () -> noSystem.locate(null, dir.resolve("envdir").toString()));
        String m = e.getMessage();
        assertTrue(m.contains("envdir"), m);
        assertTrue(m.contains("no-system-dir"), m);
        assertTrue(m.contains("sudo apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("MYELIN_DATA") && m.contains("--data-dir"), m);
        for (String f : IdxDataSet.FILE_NAMES) {
            assertTrue(m.contains(f), m);
        }
        MissingDataException mnist = assertThrows(MissingDataException.class, () -> Mnist.DATA_SET.locate(null, null));
        assertTrue(mnist.getMessage().contains("train-images-idx3-ubyte"), mnist.getMessage());
    }

    @Test
    void aFolderWithSomeFilesNamesTheMissingOnes() throws IOException {
        Path folder = fakeDataSet(dir.resolve("partial"));
        Files.delete(folder.resolve("t10k-labels-idx1-ubyte"));
        MissingDataException e = assertThrows(MissingDataException.class, () -> FashionMnist.DATA_SET.locate(folder, null));
        assertTrue(e.getMessage().contains("[t10k-labels-idx1-ubyte]"), e.getMessage());
    }

    @Test
    void mismatchedCountsAndLabelsOutOfRangeAreErrors() throws IOException {
        Path folder = fakeDataSet(dir.resolve("mismatch"));
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(4, 10));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> FashionMnist.DATA_SET.load(folder, null));
        assertTrue(e.getMessage().contains("4 labels") && e.getMessage().contains("5 images"), e.getMessage());

        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(5, 12));
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"),
                IdxFiles.idx(0x08, new int[] {5}, new byte[] {0, 1, 11, 3, 4}));
        e = assertThrows(MalformedFileException.class, () -> FashionMnist.DATA_SET.load(folder, null));
        assertEquals(8 + 2, e.byteOffset(), e.getMessage());
    }

    @Test
    void realFashionMnistWhenInstalled() throws IOException {
        Path system = Path.of(FashionMnist.SYSTEM_DIR);
        Assumptions.assumeTrue(Files.isDirectory(system),
                FashionMnist.SYSTEM_DIR + " is absent (sudo apt-get install dataset-fashion-mnist to run this test)");
        TrainTest data = FashionMnist.DATA_SET.load(system, null);
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertEquals(784, data.train().featureCount());
        int[] trainCounts = new int[10];
        for (int c : data.train().classLabels()) {
            trainCounts[c]++;
        }
        int[] testCounts = new int[10];
        for (int c : data.test().classLabels()) {
            testCounts[c]++;
        }
        int[] sixThousand = new int[10];
        java.util.Arrays.fill(sixThousand, 6000);
        int[] thousand = new int[10];
        java.util.Arrays.fill(thousand, 1000);
        assertArrayEquals(sixThousand, trainCounts, "Fashion-MNIST has 6,000 training images per class");
        assertArrayEquals(thousand, testCounts, "and 1,000 test images per class");
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : data.train().features().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }
}
