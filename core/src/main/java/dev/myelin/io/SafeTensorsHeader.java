package dev.myelin.io;

import dev.myelin.data.MalformedFileException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated header of a safetensors file: every tensor's name, shape and byte range, checked
 * against each other and against the file size, so that reading the data afterwards cannot fail
 * on a consistent file.
 */
record SafeTensorsHeader(List<Entry> entries, LinkedHashMap<String, String> metadata, long dataStart) {

    /** One tensor: {@code rows x cols} float32 values at {@code [begin, end)} from the start of the data. */
    record Entry(String name, int rows, int cols, long begin, long end) {
    }

    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    /** Reads and validates the header of {@code channel} (of {@code size} bytes) named {@code file}. */
    static SafeTensorsHeader read(FileChannel channel, long size, Path file) throws IOException {
        if (size < 8) {
            throw MalformedFileException.atByte(file, size, "file is " + size
                    + " bytes; a safetensors file starts with an 8-byte little-endian header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, prefix, 0, file);
        long headerLength = prefix.flip().getLong();
        if (headerLength < 0 || headerLength > SafeTensors.MAX_HEADER_BYTES || headerLength > size - 8) {
            throw MalformedFileException.atByte(file, 0, "header length "
                    + Long.toUnsignedString(headerLength) + " does not fit the file of " + size
                    + " bytes (at most " + (size - 8) + " and " + SafeTensors.MAX_HEADER_BYTES + "): truncated or not a safetensors file");
        }
        if (headerLength < 2) {
            throw MalformedFileException.atByte(file, 8, "header length " + headerLength
                    + " is too short for a JSON object");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8, file);
        byte[] bytes = headerBytes.array();
        if (bytes[0] != '{') {
            throw MalformedFileException.atByte(file, 8, "header must start with '{', found byte 0x"
                    + Integer.toHexString(bytes[0] & 0xff));
        }
        JsonValue root = JsonParser.parse(bytes, 0, bytes.length, 8, file);
        long dataStart = 8 + headerLength;
        return validate((JsonValue.JsonObject) root, size - dataStart, dataStart, file);
    }

    private static SafeTensorsHeader validate(JsonValue.JsonObject root, long dataBytes, long dataStart, Path file)
            throws MalformedFileException {
        List<Entry> entries = new ArrayList<>();
        Map<Entry, Long> entryOffsets = new LinkedHashMap<>();
        LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> member : root.members().entrySet()) {
            String name = member.getKey();
            JsonValue value = member.getValue();
            if (name.equals(SafeTensors.METADATA_KEY)) {
                readMetadata(value, metadata, file);
                continue;
            }
            if (name.isEmpty()) {
                throw MalformedFileException.atByte(file, value.offset(), "a tensor has an empty name");
            }
            Entry entry = entry(name, value, file);
            entries.add(entry);
            entryOffsets.put(entry, value.offset());
        }

        // The data must be covered exactly once, in some order: no gaps, no overlaps, nothing after.
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.begin() != expected) {
                String what = e.begin() > expected ? "leaves a gap" : "overlaps";
                throw MalformedFileException.atByte(file, entryOffsets.get(e), "tensor \"" + e.name()
                        + "\" data_offsets [" + e.begin() + ", " + e.end() + "] " + what + (previous == null
                        ? " at the start of the data (expected begin 0)"
                        : " after tensor \"" + previous + "\" (expected begin " + expected + ")"));
            }
            if (e.end() > dataBytes) {
                throw MalformedFileException.atByte(file, dataStart + dataBytes, "tensor \"" + e.name()
                        + "\" data_offsets [" + e.begin() + ", " + e.end() + "] run past the end of the file: the data holds "
                        + dataBytes + " bytes (file truncated?)");
            }
            expected = e.end();
            previous = e.name();
        }
        if (expected != dataBytes) {
            throw MalformedFileException.atByte(file, dataStart + expected, "the tensors' data ends at byte "
                    + (dataStart + expected) + " but the file has " + (dataBytes - expected) + " more bytes");
        }
        return new SafeTensorsHeader(List.copyOf(entries), metadata, dataStart);
    }

    private static void readMetadata(JsonValue value, Map<String, String> metadata, Path file)
            throws MalformedFileException {
        if (!(value instanceof JsonValue.JsonObject object)) {
            throw MalformedFileException.atByte(file, value.offset(), "\"" + SafeTensors.METADATA_KEY
                    + "\" must be an object of strings, found " + value.kind());
        }
        for (Map.Entry<String, JsonValue> m : object.members().entrySet()) {
            if (!(m.getValue() instanceof JsonValue.JsonString s)) {
                throw MalformedFileException.atByte(file, m.getValue().offset(), "metadata \"" + m.getKey()
                        + "\" must be a string, found " + m.getValue().kind());
            }
            metadata.put(m.getKey(), s.value());
        }
    }

    private static Entry entry(String name, JsonValue value, Path file) throws MalformedFileException {
        if (!(value instanceof JsonValue.JsonObject object)) {
            throw MalformedFileException.atByte(file, value.offset(), "tensor \"" + name
                    + "\" must be an object with dtype, shape and data_offsets, found " + value.kind());
        }
        for (Map.Entry<String, JsonValue> key : object.members().entrySet()) {
            if (!ENTRY_KEYS.contains(key.getKey())) {
                throw MalformedFileException.atByte(file, key.getValue().offset(), "tensor \"" + name
                        + "\" has an unknown key \"" + key.getKey() + "\" (expected dtype, shape, data_offsets)");
            }
        }
        JsonValue dtype = required(object, "dtype", name, file);
        if (!(dtype instanceof JsonValue.JsonString dtypeName)) {
            throw MalformedFileException.atByte(file, dtype.offset(), "tensor \"" + name
                    + "\" dtype must be a string, found " + dtype.kind());
        }
        if (!dtypeName.value().equals("F32")) {
            throw MalformedFileException.atByte(file, dtype.offset(), "tensor \"" + name + "\" has dtype "
                    + dtypeName.value() + "; Myelin reads only F32 (float32) tensors: convert it before saving "
                    + "(numpy: a.astype(np.float32), PyTorch: t.float())");
        }

        long[] shape = integers(required(object, "shape", name, file), "shape", name, file);
        int rows;
        int cols;
        JsonValue shapeValue = object.members().get("shape");
        switch (shape.length) {
            case 0 -> {
                rows = 1;
                cols = 1;
            }
            case 1 -> {
                rows = 1;
                cols = dimension(shape[0], shapeValue, name, file);
            }
            case 2 -> {
                rows = dimension(shape[0], shapeValue, name, file);
                cols = dimension(shape[1], shapeValue, name, file);
            }
            default -> throw MalformedFileException.atByte(file, shapeValue.offset(), "tensor \"" + name
                    + "\" has shape " + Arrays.toString(shape) + " of rank " + shape.length
                    + "; Myelin tensors are matrices (rank 0, 1 or 2)");
        }
        long elements = (long) rows * cols;
        if (elements > Integer.MAX_VALUE - 8) {
            throw MalformedFileException.atByte(file, shapeValue.offset(), "tensor \"" + name + "\" shape ["
                    + rows + ", " + cols + "] holds " + elements + " elements, more than a Java array can");
        }

        JsonValue offsetsValue = required(object, "data_offsets", name, file);
        long[] offsets = integers(offsetsValue, "data_offsets", name, file);
        if (offsets.length != 2) {
            throw MalformedFileException.atByte(file, offsetsValue.offset(), "tensor \"" + name
                    + "\" data_offsets must be [begin, end], got " + offsets.length + " numbers");
        }
        if (offsets[1] < offsets[0]) {
            throw MalformedFileException.atByte(file, offsetsValue.offset(), "tensor \"" + name
                    + "\" data_offsets [" + offsets[0] + ", " + offsets[1] + "] end before they begin");
        }
        if (offsets[1] - offsets[0] != elements * 4) {
            throw MalformedFileException.atByte(file, offsetsValue.offset(), "tensor \"" + name
                    + "\" data_offsets [" + offsets[0] + ", " + offsets[1] + "] span " + (offsets[1] - offsets[0])
                    + " bytes, but shape " + Arrays.toString(shape) + " of F32 needs " + (elements * 4));
        }
        return new Entry(name, rows, cols, offsets[0], offsets[1]);
    }

    private static JsonValue required(JsonValue.JsonObject object, String key, String name, Path file)
            throws MalformedFileException {
        JsonValue v = object.members().get(key);
        if (v == null) {
            throw MalformedFileException.atByte(file, object.offset(), "tensor \"" + name + "\" has no \"" + key + "\"");
        }
        return v;
    }

    private static int dimension(long d, JsonValue at, String name, Path file) throws MalformedFileException {
        if (d > Integer.MAX_VALUE) {
            throw MalformedFileException.atByte(file, at.offset(), "tensor \"" + name + "\" dimension " + d
                    + " is larger than " + Integer.MAX_VALUE);
        }
        return (int) d;
    }

    /** An array of non-negative integers that fit a {@code long} (offsets past that cannot fit any file). */
    private static long[] integers(JsonValue value, String key, String name, Path file) throws MalformedFileException {
        if (!(value instanceof JsonValue.JsonArray array)) {
            throw MalformedFileException.atByte(file, value.offset(), "tensor \"" + name + "\" " + key
                    + " must be an array of non-negative integers, found " + value.kind());
        }
        long[] out = new long[array.elements().size()];
        for (int i = 0; i < out.length; i++) {
            JsonValue element = array.elements().get(i);
            if (!(element instanceof JsonValue.JsonNumber number) || !number.text().matches("0|[1-9][0-9]*")) {
                throw MalformedFileException.atByte(file, element.offset(), "tensor \"" + name + "\" " + key
                        + " must hold non-negative integers, found " + (element instanceof JsonValue.JsonNumber n
                        ? n.text() : element.kind()));
            }
            BigInteger big = new BigInteger(number.text());
            if (big.bitLength() > 62) {
                throw MalformedFileException.atByte(file, element.offset(), "tensor \"" + name + "\" " + key
                        + " value " + big + " is too large for any file");
            }
            out[i] = big.longValue();
        }
        return out;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file) throws IOException {
        while (buffer.hasRemaining()) {
            int got = channel.read(buffer, position + buffer.position());
            if (got < 0) {
                throw MalformedFileException.atByte(file, position + buffer.position(), "file ends early");
            }
        }
    }
}
