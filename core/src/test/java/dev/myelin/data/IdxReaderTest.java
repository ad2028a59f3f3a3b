package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsImagesRawAndGzippedWhateverTheName() throws IOException {
        byte[] raw = IdxFiles.images(5, 3, 2);
        // names that lie about compression: detection is by magic bytes
        FloatMatrix a = IdxReader.readImages(file("images.gz", raw));
        FloatMatrix b = IdxReader.readImages(file("images-idx3-ubyte", IdxFiles.gzip(raw)));
        assertEquals(a, b);
        assertEquals(5, a.rows());
        assertEquals(6, a.cols());
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < 6; k++) {
                assertEquals(((7 * i + k) % 256) / 255f, a.get(i, k), 1e-7f);
            }
        }
        IdxArray array = IdxReader.read(file("img", raw));
        assertArrayEquals(new int[] {5, 3, 2}, array.dimensions());
        assertEquals(IdxType.UNSIGNED_BYTE, array.type());
        assertEquals(30, array.size());
        assertEquals(7 * 2 + 5, array.intAt(2 * 6 + 5), "raw access: image 2, pixel 5");
        assertEquals(7 * 2 + 5, array.toMatrix().get(2, 5));
    }

    @Test
    void pixelsScaleToTheUnitInterval() throws IOException {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1};
        FloatMatrix m = IdxReader.readImages(file("p", IdxFiles.idx(0x08, new int[] {1, 2, 2}, pixels)));
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f}, m.data());
    }

    @Test
    void readsLabels() throws IOException {
        Path p = file("labels", IdxFiles.gzip(IdxFiles.labels(7, 3)));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0}, IdxReader.readLabels(p));
        FloatMatrix m = IdxReader.readLabelsAsMatrix(p);
        assertEquals(7, m.rows());
        assertEquals(1, m.cols());
        assertEquals(2f, m.get(5, 0));
    }

    @Test
    void readsEveryElementType() throws IOException {
        ByteBuffer ints = ByteBuffer.allocate(8).putInt(-5).putInt(70000);
        IdxArray a = IdxReader.read(file("i", IdxFiles.idx(0x0C, new int[] {2}, ints.array())));
        assertArrayEquals(new int[] {-5, 70000}, a.toIntArray());
        ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -2).putShort((short) 300);
        assertArrayEquals(new int[] {-2, 300}, IdxReader.read(file("s", IdxFiles.idx(0x0B, new int[] {2}, shorts.array())))
                .toIntArray());
        assertArrayEquals(new int[] {-1, 127}, IdxReader.read(file("b", IdxFiles.idx(0x09, new int[] {2},
                new byte[] {-1, 127}))).toIntArray());
        ByteBuffer floats = ByteBuffer.allocate(16).putFloat(1.5f).putFloat(-2f).putFloat(0.25f).putFloat(8f);
        IdxArray f = IdxReader.read(file("f", IdxFiles.idx(0x0D, new int[] {2, 2}, floats.array())));
        assertEquals(FloatMatrix.of(new float[][] {{1.5f, -2f}, {0.25f, 8f}}), f.toMatrix());
        assertThrows(IllegalStateException.class, () -> f.intAt(0));
        ByteBuffer doubles = ByteBuffer.allocate(16).putDouble(0.1).putDouble(-3);
        IdxArray d = IdxReader.read(file("d", IdxFiles.idx(0x0E, new int[] {2}, doubles.array())));
        assertEquals(0.1, d.doubleAt(0));
        assertEquals(-3.0, d.doubleAt(1));
    }

    @Test
    void emptyArraysAreFine() throws IOException {
        FloatMatrix m = IdxReader.readImages(file("e", IdxFiles.idx(0x08, new int[] {0, 28, 28}, new byte[0])));
        assertEquals(0, m.rows());
        assertEquals(784, m.cols());
    }

    @Test
    void everyTruncationOfARawFileNamesFileAndOffset() throws IOException {
        byte[] good = IdxFiles.images(4, 3, 3);
        for (int cut = 0; cut < good.length; cut++) {
            Path p = file("cut", Arrays.copyOf(good, cut));
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p),
                    "cut at " + cut);
            assertEquals(cut, e.byteOffset(), e.getMessage());
            assertTrue(e.getMessage().startsWith(p + ": at byte offset " + cut + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void everyTruncationOfAGzippedFileIsAnError() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(40, 5, 5));
        for (int cut = 0; cut < gz.length; cut++) {
            Path p = file("cut.gz", Arrays.copyOf(gz, cut));
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p),
                    "cut at " + cut);
            assertTrue(e.getMessage().startsWith(p + ": at byte offset "), e.getMessage());
            assertTrue(e.byteOffset() >= 0 && e.byteOffset() <= 4 + 12 + 1000, e.getMessage());
        }
    }

    @Test
    void corruptGzipDataIsAnError() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(40, 5, 5));
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 0x55; // CRC-32 in the gzip trailer
        Path p = file("crc.gz", badCrc);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
        byte[] badHeader = gz.clone();
        badHeader[2] = 7; // compression method other than deflate
        Path q = file("method.gz", badHeader);
        e = assertThrows(MalformedFileException.class, () -> IdxReader.readImages(q));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void corruptHeadersAreErrorsWithTheirOffset() throws IOException {
        byte[] good = IdxFiles.images(2, 2, 2);
        assertHeaderError(good, 0, (byte) 1, 0, "two zero bytes");
        assertHeaderError(good, 2, (byte) 0x0A, 2, "unknown IDX element type 0x0a");
        assertHeaderError(good, 3, (byte) 0, 3, "number of dimensions 0");
        assertHeaderError(good, 3, (byte) 200, 3, "number of dimensions 200");
        assertHeaderError(good, 8, (byte) 0x80, 8, "negative");
        // a header that declares more data than there is
        assertHeaderError(good, 7, (byte) 3, 4 + 12 + 8, "truncated");
        // one that declares less: the rest is unexpected
        assertHeaderError(good, 7, (byte) 1, 4 + 12 + 4, "unexpected data");
        // a label file where images are expected
        Path labels = file("l", IdxFiles.labels(3, 2));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.readImages(labels));
        assertTrue(e.getMessage().contains("expected images"), e.getMessage());
        Path images = file("i", good);
        e = assertThrows(MalformedFileException.class, () -> IdxReader.readLabels(images));
        assertTrue(e.getMessage().contains("expected labels"), e.getMessage());
        // a size no array can hold
        Path huge = file("h", IdxFiles.idx(0x0E, new int[] {70000, 70000}, new byte[0]));
        e = assertThrows(MalformedFileException.class, () -> IdxReader.read(huge));
        assertEquals(8, e.byteOffset(), e.getMessage());
    }

    private void assertHeaderError(byte[] good, int index, byte value, long offset, String text) throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            byte[] bad = good.clone();
            bad[index] = value;
            Path p = file("bad", gzip ? IdxFiles.gzip(bad) : bad);
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxReader.read(p));
            assertEquals(offset, e.byteOffset(), e.getMessage());
            assertTrue(e.getMessage().startsWith(p + ": at byte offset " + offset), e.getMessage());
            assertTrue(e.getMessage().contains(text), "expected \"" + text + "\" in " + e.getMessage());
        }
    }
}
