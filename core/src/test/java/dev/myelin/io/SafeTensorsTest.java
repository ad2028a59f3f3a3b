package dev.myelin.io;

import dev.myelin.data.MalformedFileException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private static FloatMatrix random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(rows, cols, data);
    }

    private static LinkedHashMap<String, FloatMatrix> sample() {
        LinkedHashMap<String, FloatMatrix> t = new LinkedHashMap<>();
        t.put("dense/kernel", random(4, 30, 1));
        t.put("dense/bias", random(1, 30, 2));
        t.put("dense_1/kernel", random(30, 3, 3));
        t.put("dense_1/bias", random(1, 3, 4));
        return t;
    }

    private static void assertBitExact(Map<String, FloatMatrix> expected, Map<String, FloatMatrix> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "names in order");
        for (String name : expected.keySet()) {
            FloatMatrix e = expected.get(name);
            FloatMatrix a = actual.get(name);
            assertEquals(e.rows(), a.rows(), name + " rows");
            assertEquals(e.cols(), a.cols(), name + " cols");
            for (int i = 0; i < e.data().length; i++) {
                assertEquals(Float.floatToRawIntBits(e.data()[i]), Float.floatToRawIntBits(a.data()[i]),
                        name + "[" + i + "] bits");
            }
        }
    }

    @Test
    void roundTripIsBitExactAndKeepsOrder() throws IOException {
        Path file = dir.resolve("model.safetensors");
        LinkedHashMap<String, FloatMatrix> t = sample();
        SafeTensors.write(file, t);
        assertBitExact(t, SafeTensors.read(file));
        assertEquals(0, (Files.size(file) - 8 - 4L * (120 + 30 + 90 + 3)) % 8, "header padded to a multiple of 8");
    }

    @Test
    void specialValuesKeepTheirBitPatterns() throws IOException {
        int[] bits = {
            0x7fc00000, 0x7fc00001, 0xffc12345, 0x7f800001, // quiet NaNs with payloads, a signalling NaN
            0x7f800000, 0xff800000, 0x80000000, 0x00000000, // +Inf, -Inf, -0.0, +0.0
            0x00000001, 0x807fffff, 0x7f7fffff, 0x00800000, // subnormals, largest finite, smallest normal
        };
        float[] values = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            values[i] = Float.intBitsToFloat(bits[i]);
        }
        LinkedHashMap<String, FloatMatrix> t = new LinkedHashMap<>();
        t.put("specials", new FloatMatrix(3, 4, values));
        Path file = dir.resolve("specials.safetensors");
        SafeTensors.write(file, t);
        float[] back = SafeTensors.read(file).get("specials").data();
        for (int i = 0; i < bits.length; i++) {
            assertEquals(bits[i], Float.floatToRawIntBits(back[i]), "value " + i);
        }
    }

    @Test
    void metadataAndUnusualNamesRoundTrip() throws IOException {
        LinkedHashMap<String, FloatMatrix> t = new LinkedHashMap<>();
        t.put("quote\"back\\slash", random(2, 2, 5));
        t.put("ünïcødé/层", random(1, 1, 6));
        t.put("empty", FloatMatrix.zeros(0, 7));
        t.put("tab\tnewline\n", random(2, 1, 7));
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "myelin");
        meta.put("note", "line\nbreak \"quoted\" \u0001");
        Path file = dir.resolve("meta.safetensors");
        SafeTensors.write(file, t, meta);
        SafeTensors.Contents back = SafeTensors.readWithMetadata(file);
        assertBitExact(t, back.tensors());
        assertEquals(meta, back.metadata());
    }

    @Test
    void emptyFileOfTensorsRoundTrips() throws IOException {
        Path file = dir.resolve("none.safetensors");
        SafeTensors.write(file, new LinkedHashMap<>());
        assertTrue(SafeTensors.read(file).isEmpty());
    }

    @Test
    void largeTensorCrossesTheWriteChunks() throws IOException {
        LinkedHashMap<String, FloatMatrix> t = new LinkedHashMap<>();
        t.put("big", random(700, 1000, 8)); // 2.8 MB: more than one 1 MiB chunk
        t.put("after", random(3, 3, 9));
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, t);
        assertBitExact(t, SafeTensors.read(file));
    }

    @Test
    void writeRejectsBadArguments() {
        Path file = dir.resolve("x.safetensors");
        LinkedHashMap<String, FloatMatrix> reserved = new LinkedHashMap<>();
        reserved.put(SafeTensors.METADATA_KEY, random(1, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, reserved));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        LinkedHashMap<String, FloatMatrix> empty = new LinkedHashMap<>();
        empty.put("", random(1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, empty));
        LinkedHashMap<String, FloatMatrix> nullValue = new LinkedHashMap<>();
        nullValue.put("w", null);
        e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, nullValue));
        assertTrue(e.getMessage().contains("\"w\""), e.getMessage());
        assertFalse(Files.exists(file));
    }

    /** A channel that accepts {@code budget} bytes and then fails, like a full disk. */
    private static UnaryOperator<WritableByteChannel> failingAfter(long budget) {
        return channel -> new WritableByteChannel() {
            long left = budget;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (left <= 0) {
                    throw new IOException("No space left on device (simulated)");
                }
                int n = (int) Math.min(left, src.remaining());
                ByteBuffer part = src.slice().limit(n);
                int written = channel.write(part);
                src.position(src.position() + written);
                left -= written;
                return written;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Test
    void interruptedSaveLeavesThePreviousFileAndNoTempFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        LinkedHashMap<String, FloatMatrix> old = sample();
        SafeTensors.write(file, old);
        byte[] before = Files.readAllBytes(file);

        LinkedHashMap<String, FloatMatrix> next = new LinkedHashMap<>();
        next.put("other", random(100, 100, 42));
        for (long budget : new long[] {0, 5, 8, 20, 200, 40_000}) {
            IOException e = assertThrows(IOException.class,
                    () -> SafeTensors.write(file, next, Map.of(), failingAfter(budget)));
            assertTrue(e.getMessage().contains("simulated"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file), "previous file untouched after failing at " + budget);
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList(), "no temporary file lingers after failing at " + budget);
            }
        }
        assertBitExact(old, SafeTensors.read(file));
    }

    @Test
    void interruptedFirstSaveLeavesNothing() throws IOException {
        Path file = dir.resolve("fresh.safetensors");
        assertThrows(IOException.class, () -> SafeTensors.write(file, sample(), Map.of(), failingAfter(100)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void savingIntoAMissingFolderOrOverAFolderNamesThePath() throws IOException {
        Path missing = dir.resolve("no/such/folder/model.safetensors");
        IOException e = assertThrows(IOException.class, () -> SafeTensors.write(missing, sample()));
        assertTrue(e.getMessage().contains(missing.getParent().toString()), e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("taken.safetensors"));
        e = assertThrows(IOException.class, () -> SafeTensors.write(folder, sample()));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(folder), files.toList(), "nothing else written");
        }
    }

    @Test
    void overwriteReplacesTheFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, sample());
        LinkedHashMap<String, FloatMatrix> next = new LinkedHashMap<>();
        next.put("w", random(2, 3, 11));
        SafeTensors.write(file, next);
        assertBitExact(next, SafeTensors.read(file));
    }

    // ---- reading damaged files ----

    /** A small but complete file (metadata, a matrix, a row) for the byte-by-byte damage tests. */
    private Path writeSample() throws IOException {
        Path file = dir.resolve("good.safetensors");
        LinkedHashMap<String, FloatMatrix> t = new LinkedHashMap<>();
        t.put("dense/kernel", random(3, 2, 1));
        t.put("dense/bias", random(1, 2, 2));
        SafeTensors.write(file, t, Map.of("format", "myelin"));
        return file;
    }

    private Path withBytes(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void everyTruncationIsAnErrorNamingFileAndOffset() throws IOException {
        byte[] good = Files.readAllBytes(writeSample());
        for (int cut = 0; cut < good.length; cut++) {
            Path file = withBytes("cut.safetensors", Arrays.copyOf(good, cut));
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file),
                    "cut at " + cut);
            assertTrue(e.getMessage().startsWith(file.toString() + ": at byte offset "), e.getMessage());
            assertTrue(e.byteOffset() >= 0 && e.byteOffset() <= cut, "offset " + e.byteOffset() + " within the cut file of "
                    + cut + " bytes: " + e.getMessage());
        }
    }

    @Test
    void extraBytesAfterTheDataAreAnError() throws IOException {
        byte[] good = Files.readAllBytes(writeSample());
        Path file = withBytes("long.safetensors", Arrays.copyOf(good, good.length + 4));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file));
        assertEquals(good.length, e.byteOffset(), e.getMessage());
        assertTrue(e.getMessage().contains("4 more bytes"), e.getMessage());
    }

    @Test
    void hugeHeaderLengthIsAnError() throws IOException {
        byte[] good = Files.readAllBytes(writeSample());
        for (long length : new long[] {-1L, 1L << 40, good.length, 0, 1}) {
            byte[] bad = good.clone();
            ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
            Path file = withBytes("len.safetensors", bad);
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file),
                    "length " + length);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    /** Builds a file from a header text and a data size, the way a foreign writer might. */
    private Path fileWithHeader(String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return withBytes("crafted.safetensors", b.array());
    }

    private MalformedFileException readFails(String json, int dataBytes, String expectedInMessage) throws IOException {
        Path file = fileWithHeader(json, dataBytes);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file), json);
        assertTrue(e.getMessage().startsWith(file + ": at byte offset "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedInMessage), "expected \"" + expectedInMessage + "\" in: " + e.getMessage());
        return e;
    }

    @Test
    void corruptHeadersAreErrorsWithTheirOffset() throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        // sanity: the crafted form is readable
        assertEquals(2, SafeTensors.read(fileWithHeader(ok, 16)).get("a").rows());

        MalformedFileException e = readFails("{\"a\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]}}", 32,
                "dtype F64");
        assertEquals(8 + 14, e.byteOffset(), "offset of the dtype value");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12, "needs 16");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[4,20]}}", 20, "leaves a gap");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[4,12]}}", 12, "overlaps");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 8, "past the end");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2,2],\"data_offsets\":[0,32]}}", 32, "rank 3");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2,2],\"data_offsets\":[0,16]}}", 16, "non-negative");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5,2],\"data_offsets\":[0,16]}}", 16, "non-negative");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,0]}}", 16, "end before");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0]}}", 16, "[begin, end]");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2]}}", 16, "no \"data_offsets\"");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16],\"x\":1}}", 16, "unknown key");
        readFails("{\"a\":[1,2]}", 0, "must be an object");
        readFails("{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "empty name");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "duplicate key");
        readFails("{\"__metadata__\":{\"k\":1}}", 0, "must be a string");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", 4, "expected ',' or '}'");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}}", 4, "after the end");
        readFails("[1,2,3]", 0, "must start with '{'");
        readFails("{\"a\" 1}", 0, "expected ':'");
        readFails("{\"a\":\"\\q\"}", 0, "invalid escape");
        readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999,1],\"data_offsets\":[0,4]}}", 4, "too large");
        MalformedFileException shape = readFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,99999999999],\"data_offsets\":[0,4]}}", 4,
                "larger than");
        assertTrue(shape.byteOffset() > 8);
    }

    @Test
    void invalidUtf8InANameIsAnError() throws IOException {
        byte[] json = "{\"a\u00ff\":{}}".getBytes(StandardCharsets.ISO_8859_1); // 0xff is never valid UTF-8
        ByteBuffer b = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path file = withBytes("utf8.safetensors", b.array());
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        assertEquals(8 + 3, e.byteOffset(), "offset of the 0xff byte");
    }

    @Test
    void oneDimensionalAndScalarShapesReadAsRows() throws IOException {
        String json = "{\"v\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[12,16]}}  ";
        Path file = fileWithHeader(json, 16);
        LinkedHashMap<String, FloatMatrix> t = SafeTensors.read(file);
        assertEquals(1, t.get("v").rows());
        assertEquals(3, t.get("v").cols());
        assertEquals(1, t.get("s").rows());
        assertEquals(1, t.get("s").cols());
    }

    @Test
    void everySingleByteCorruptionOfTheHeaderIsCaughtOrHarmless() throws IOException {
        byte[] good = Files.readAllBytes(writeSample());
        long headerEnd = 8 + ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        LinkedHashMap<String, FloatMatrix> expected = SafeTensors.read(dir.resolve("good.safetensors"));
        for (int i = 0; i < headerEnd; i++) {
            byte[] bad = good.clone();
            bad[i] = (byte) (bad[i] == '"' ? '}' : '"');
            Path file = withBytes("flip.safetensors", bad);
            try {
                LinkedHashMap<String, FloatMatrix> read = SafeTensors.read(file);
                // A change inside a name or metadata string can leave a valid file: then it must read in full.
                assertEquals(expected.size(), read.size(), "byte " + i);
            } catch (MalformedFileException e) {
                assertTrue(e.getMessage().startsWith(file + ": at byte offset "), e.getMessage());
            }
        }
    }
}
