package dev.myelin.io;

import dev.myelin.data.MalformedFileException;
import dev.myelin.data.FloatMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads and writes weight files in the safetensors format, so that numpy, PyTorch and the
 * {@code safetensors} library read what Myelin saves and Myelin reads what they save (float32 only).
 *
 * <p>The layout: an 8-byte little-endian header length {@code N}; {@code N} bytes of UTF-8 JSON
 * mapping each tensor name to {@code {"dtype":"F32","shape":[rows,cols],"data_offsets":[begin,end]}}
 * (plus an optional {@code "__metadata__"} object of string values), padded with spaces to a
 * multiple of 8; then the tensors' little-endian float32 data, back to back, offsets counted from
 * the end of the header.
 *
 * <p>Writing goes through {@link AtomicFile}: a temporary file in the target's folder, forced to
 * disk, then renamed over the target, so a crash or a failed write never leaves a half file and the
 * previous file stays as it was; a symbolic link's target is replaced, a folder, FIFO or device is
 * refused before anything is written. Reading validates the whole header against the file (header length, JSON,
 * names, dtypes, shapes, offsets, file size) before reading any data, and fails with a
 * {@link MalformedFileException} that names the file and the byte offset.
 *
 * <pre>{@code
 * var weights = new LinkedHashMap<String, FloatMatrix>();
 * weights.put("dense/kernel", kernel);
 * weights.put("dense/bias", bias);
 * SafeTensors.write(Path.of("model.safetensors"), weights);
 * LinkedHashMap<String, FloatMatrix> back = SafeTensors.read(Path.of("model.safetensors"));
 * }</pre>
 */
public final class SafeTensors {

    /** The header key that holds free-form string metadata instead of a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    /** The header size limit the reference implementation uses; a larger one is a corrupt length. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int CHUNK_BYTES = 1 << 20;

    /**
     * Everything a file holds: the tensors in header order and the string metadata.
     *
     * @param tensors the tensors by name
     * @param metadata the string metadata
     */
    public record Contents(LinkedHashMap<String, FloatMatrix> tensors, LinkedHashMap<String, String> metadata) {
        /** Checks that neither map is null. */
        public Contents {
            Objects.requireNonNull(tensors, "tensors");
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    private SafeTensors() {
    }

    /**
     * Writes {@code tensors} (in iteration order) to {@code file}, replacing it atomically.
     *
     * @param file the file to write
     * @param tensors the tensors by name
     * @throws java.io.IOException if the file cannot be written (the old file, if any, is left as it was)
     */
    public static void write(Path file, Map<String, FloatMatrix> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in iteration order) and {@code metadata} (stored under
     * {@value #METADATA_KEY}; omitted when empty) to {@code file}, replacing it atomically.
     *
     * @param file the file to write
     * @param tensors the tensors by name
     * @param metadata string metadata
     * @throws java.io.IOException if the file cannot be written (the old file, if any, is left as it was)
     */
    public static void write(Path file, Map<String, FloatMatrix> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, UnaryOperator.identity());
    }

    /**
     * The writer, with {@code channelFilter} wrapping the channel the bytes go through: tests use
     * it to make a save fail midway and check that the previous file survives.
     */
    static void write(Path file, Map<String, FloatMatrix> tensors, Map<String, String> metadata,
            UnaryOperator<WritableByteChannel> channelFilter) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        checkNames(tensors, metadata);
        byte[] header = header(tensors, metadata);

        AtomicFile.write(file, channel -> {
            WritableByteChannel out = channelFilter.apply(channel);
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(out, prefix);
            writeFully(out, ByteBuffer.wrap(header));
            writeData(out, tensors);
        });
    }

    /**
     * Reads the tensors of {@code file} in header order (the metadata is checked, then dropped).
     *
     * @param file a safetensors file of float32 tensors
     * @return the tensors by name
     * @throws java.io.IOException if the file cannot be read or is malformed ({@link MalformedFileException}
     *     names the byte)
     */
    public static LinkedHashMap<String, FloatMatrix> read(Path file) throws IOException {
        return readWithMetadata(file).tensors();
    }

    /**
     * Reads the tensors of {@code file} in header order and its string metadata.
     *
     * @param file a safetensors file of float32 tensors
     * @return the tensors by name and the metadata
     * @throws java.io.IOException if the file cannot be read or is malformed ({@link MalformedFileException}
     *     names the byte)
     */
    public static Contents readWithMetadata(Path file) throws IOException {
        return readWithMetadata(file, shapes -> { });
    }

    /**
     * Reads the tensors of {@code file} after {@code beforeData} has seen the names and shapes
     * ({@code [rows, cols]}) the validated header declares, in header order, and before any tensor data
     * is read: a check that throws there stops a file that does not fit its use without reading (or
     * allocating) its data.
     *
     * @param file the safetensors file to read; not null
     * @param beforeData sees the tensor names and {@code [rows, cols]} shapes in header order, before any
     *     data is read; may throw to stop the read; not null
     * @return the tensors, by name in header order, and the header's metadata
     * @throws IOException when the file is missing, a folder, unreadable, or malformed (the message names
     *     the byte)
     */
    public static Contents readWithMetadata(Path file, Consumer<LinkedHashMap<String, int[]>> beforeData)
            throws IOException {
        Objects.requireNonNull(beforeData, "beforeData");
        try (FileChannel channel = openForReading(file)) {
            long size = channel.size();
            SafeTensorsHeader header = SafeTensorsHeader.read(channel, size, file);
            LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
            for (SafeTensorsHeader.Entry entry : header.entries()) {
                shapes.put(entry.name(), new int[] {entry.rows(), entry.cols()});
            }
            beforeData.accept(shapes);
            LinkedHashMap<String, FloatMatrix> tensors = new LinkedHashMap<>();
            for (SafeTensorsHeader.Entry entry : header.entries()) {
                tensors.put(entry.name(), readTensor(channel, header.dataStart(), entry, file));
            }
            return new Contents(tensors, header.metadata());
        }
    }

    /** Opens {@code file} to read, with an error naming the path when it is a folder or missing. */
    static FileChannel openForReading(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a folder; expected a safetensors weight file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file; expected a safetensors weight file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static void checkNames(Map<String, FloatMatrix> tensors, Map<String, String> metadata) {
        for (Map.Entry<String, FloatMatrix> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("tensors: names must be non-empty, got " + (name == null ? "null" : "\"\""));
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensors: the name \"" + METADATA_KEY
                        + "\" is reserved for metadata; pass metadata as the metadata argument");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("tensors: tensor \"" + name + "\" must not be null");
            }
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("metadata: keys and values must be non-null, got "
                        + e.getKey() + " = " + e.getValue());
            }
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 so the data is 8-byte aligned. */
    private static byte[] header(Map<String, FloatMatrix> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            Json.appendString(json, METADATA_KEY);
            json.append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                Json.appendString(json, e.getKey());
                json.append(':');
                Json.appendString(json, e.getValue());
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, FloatMatrix> e : tensors.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            FloatMatrix m = e.getValue();
            long end = offset + 4L * m.data().length;
            Json.appendString(json, e.getKey());
            json.append(":{\"dtype\":\"F32\",\"shape\":[").append(m.rows()).append(',').append(m.cols())
                    .append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) & ~7;
        byte[] out = new byte[padded];
        System.arraycopy(raw, 0, out, 0, raw.length);
        for (int i = raw.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void writeData(WritableByteChannel out, Map<String, FloatMatrix> tensors) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (FloatMatrix m : tensors.values()) {
            float[] data = m.data();
            int i = 0;
            while (i < data.length) {
                chunk.clear();
                // Raw bits, so NaN payloads and -0.0 survive the round trip exactly.
                IntBuffer ints = chunk.asIntBuffer();
                int n = Math.min(ints.remaining(), data.length - i);
                for (int k = 0; k < n; k++) {
                    ints.put(Float.floatToRawIntBits(data[i + k]));
                }
                chunk.limit(n * 4);
                writeFully(out, chunk);
                i += n;
            }
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static FloatMatrix readTensor(FileChannel channel, long dataStart, SafeTensorsHeader.Entry entry, Path file)
            throws IOException {
        // The header check bounded the element count to what an array can hold.
        float[] data = new float[(int) ((entry.end() - entry.begin()) / 4)];
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(4, entry.end() - entry.begin())))
                .order(ByteOrder.LITTLE_ENDIAN);
        long position = dataStart + entry.begin();
        int i = 0;
        while (i < data.length) {
            chunk.clear();
            chunk.limit(Math.min(chunk.capacity(), (data.length - i) * 4));
            while (chunk.hasRemaining()) {
                int got = channel.read(chunk, position + chunk.position());
                if (got < 0) {
                    throw MalformedFileException.atByte(file, position + chunk.position(),
                            "file ends inside the data of tensor \"" + entry.name() + "\" (was it changed while being read?)");
                }
            }
            chunk.flip();
            IntBuffer ints = chunk.asIntBuffer();
            int n = ints.remaining();
            for (int k = 0; k < n; k++) {
                data[i + k] = Float.intBitsToFloat(ints.get(k));
            }
            position += chunk.limit();
            i += n;
        }
        return new FloatMatrix(entry.rows(), entry.cols(), data);
    }
}
