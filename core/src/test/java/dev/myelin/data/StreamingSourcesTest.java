package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming readers: IDX and CSV files read a batch at a time, in order or through the shuffle buffer. */
class StreamingSourcesTest {

    @TempDir
    Path dir;

    /** Every sample of one pass: features then the target, a row each. */
    private static float[][] readAll(BatchSource s, boolean shuffle, long seed, int batch) throws IOException {
        int width = s.features() + s.targetColumns() + (s.hasSampleWeights() ? 1 : 0);
        float[][] rows = new float[(int) s.samples()][];
        float[] x = new float[batch * s.features()];
        float[] y = new float[batch * s.targetColumns()];
        float[] w = new float[batch];
        int n = 0;
        try (BatchReader r = s.open(shuffle, seed)) {
            for (int k; (k = r.read(x, y, w, batch)) > 0; ) {
                for (int i = 0; i < k; i++) {
                    float[] row = new float[width];
                    System.arraycopy(x, i * s.features(), row, 0, s.features());
                    System.arraycopy(y, i * s.targetColumns(), row, s.features(), s.targetColumns());
                    if (s.hasSampleWeights()) {
                        row[width - 1] = w[i];
                    }
                    rows[n++] = row;
                }
            }
        }
        assertEquals(s.samples(), n, "a pass yields every sample once");
        return rows;
    }

    private Path[] idx(int n, boolean gzip) throws IOException {
        byte[] images = IdxFiles.images(n, 3, 4);
        byte[] labels = IdxFiles.labels(n, 10);
        Path i = dir.resolve("images" + (gzip ? ".gz" : ""));
        Path l = dir.resolve("labels" + (gzip ? ".gz" : ""));
        Files.write(i, gzip ? IdxFiles.gzip(images) : images);
        Files.write(l, gzip ? IdxFiles.gzip(labels) : labels);
        return new Path[] {i, l};
    }

    @Test
    void idxStreamsTheSamePixelsAndLabelsAsTheLoader() throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            Path[] f = idx(53, gzip);
            FloatMatrix images = IdxReader.readImages(f[0]);
            int[] labels = IdxReader.readLabels(f[1]);
            IdxBatchSource s = IdxBatchSource.of(f[0], f[1]);
            assertEquals(12, s.features());
            assertEquals(53, s.samples());
            float[][] rows = readAll(s, false, 0, 8);
            for (int i = 0; i < 53; i++) {
                assertArrayEquals(images.row(i), Arrays.copyOf(rows[i], 12), "image " + i + " bit for bit");
                assertEquals(labels[i], rows[i][12]);
            }
        }
    }

    @Test
    void theShuffleBufferYieldsAPermutationReproducibleFromTheSeed() throws IOException {
        Path[] f = idx(200, true);
        IdxBatchSource s = IdxBatchSource.of(f[0], f[1]).shuffleBuffer(32);
        float[][] inOrder = readAll(s, false, 0, 16);
        float[][] a = readAll(s, true, 7, 16);
        float[][] b = readAll(s, true, 7, 5);
        float[][] c = readAll(s, true, 8, 16);
        assertTrue(Arrays.deepEquals(a, b), "same seed, same order, whatever the batch size");
        assertTrue(!Arrays.deepEquals(a, c), "another seed, another order");
        assertTrue(!Arrays.deepEquals(a, inOrder), "shuffled");
        float[][] sortedA = a.clone();
        float[][] sortedIn = inOrder.clone();
        java.util.Comparator<float[]> byContent = Arrays::compare;
        Arrays.sort(sortedA, byContent);
        Arrays.sort(sortedIn, byContent);
        assertTrue(Arrays.deepEquals(sortedA, sortedIn), "every sample exactly once");
        assertNotEquals(0, s.shuffleBuffer(1).samples());
    }

    @Test
    void badIdxFilesAreNamed() throws IOException {
        Path[] f = idx(20, false);
        byte[] labels = IdxFiles.labels(19, 10);
        Files.write(f[1], labels);
        MalformedFileException count = assertThrows(MalformedFileException.class, () -> IdxBatchSource.of(f[0], f[1]));
        assertTrue(count.getMessage().contains("holds 19 labels"), count.getMessage());
        Files.write(f[1], IdxFiles.labels(20, 10));
        byte[] images = IdxFiles.images(20, 3, 4);
        Files.write(f[0], Arrays.copyOf(images, images.length - 5));
        IdxBatchSource truncated = IdxBatchSource.of(f[0], f[1]);
        MalformedFileException end = assertThrows(MalformedFileException.class, () -> readAll(truncated, false, 0, 4));
        assertTrue(end.getMessage().contains(f[0].toString()) && end.getMessage().contains("file ends"), end.getMessage());
    }

    @Test
    void csvStreamsTheSameNumbersAsTheReaderWithTargetsAndWeights() throws IOException {
        Path csv = dir.resolve("d.csv");
        StringBuilder text = new StringBuilder("a,label,b,w\n");
        for (int i = 0; i < 25; i++) {
            text.append(i * 0.5).append(',').append(i % 3).append(',').append(-i).append(',').append(1 + i % 2)
                    .append('\n');
        }
        Files.writeString(csv, text);
        CsvBatchSource s = CsvBatchSource.of(csv, "label").weightColumn("w");
        assertEquals(2, s.features());
        assertEquals(1, s.targetColumns());
        assertTrue(s.hasSampleWeights());
        assertEquals(25, s.samples());
        float[][] rows = readAll(s, false, 0, 4);
        for (int i = 0; i < 25; i++) {
            assertArrayEquals(new float[] {i * 0.5f, -i, i % 3, 1 + i % 2}, rows[i], "record " + i);
        }
        float[][] shuffled = readAll(s.shuffleBuffer(8), true, 3, 4);
        assertTrue(!Arrays.deepEquals(rows, shuffled));
    }

    @Test
    void aMalformedCsvRecordFailsWhenTheSourceIsMadeNamingLineAndColumn() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "a,label\n1,0\n2,1\nx,0\n");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CsvBatchSource.of(csv, "label"));
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("\"x\" is not a decimal number"),
                e.getMessage());
        MalformedFileException missing = assertThrows(MalformedFileException.class,
                () -> CsvBatchSource.of(csv, "target"));
        assertTrue(missing.getMessage().contains("no target column named \"target\""), missing.getMessage());
    }
}
