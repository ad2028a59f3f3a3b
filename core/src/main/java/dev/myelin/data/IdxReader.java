package dev.myelin.data;


import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic number (two zero bytes,
 * the element type, the number of dimensions), each dimension as a big-endian 32-bit integer,
 * then the elements, big-endian, row-major. Gzip-compressed files are recognised by their magic
 * bytes (1f 8b), not by their name.
 *
 * <p>The header is checked (magic, type, dimensions, size) and the file must hold exactly the
 * declared data; anything else is a {@link MalformedFileException} naming the file and the byte
 * offset in the IDX data (for gzip files, in the decompressed data, with the compressed offset
 * too). Nothing is returned from a bad file.
 *
 * <pre>{@code
 * FloatMatrix images = IdxReader.readImages(Path.of("train-images-idx3-ubyte.gz")); // [60000 x 784] in [0, 1]
 * int[] labels = IdxReader.readLabels(Path.of("train-labels-idx1-ubyte.gz"));
 * }</pre>
 */
public final class IdxReader {

    /** Dimensions beyond this are no IDX file anyone writes; refusing them bounds the header read. */
    static final int MAX_DIMENSIONS = 16;

    private static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /**
     * Reads any IDX file, for raw access to its elements.
     *
     * @param file an IDX file, gzipped or raw
     * @return its elements and dimensions
     * @throws java.io.IOException if the file cannot be read or is malformed ({@link
     *     dev.myelin.data.MalformedFileException} names the byte)
     */
    public static IdxArray read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads an IDX stream (gzip or raw); {@code source} names it in error messages.
     *
     * @param in the IDX bytes, gzipped or raw
     * @param source the name used in error messages
     * @return its elements and dimensions
     * @throws java.io.IOException if reading fails or the data is malformed ({@link
     *     dev.myelin.data.MalformedFileException} names the byte)
     */
    public static IdxArray read(InputStream in, String source) throws IOException {
        return open(in, source).parse();
    }

    /** A parser at the start of {@code in} (gzip or raw, told by the magic bytes); {@code source} names it. */
    static Parser open(InputStream in, String source) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        CountingInputStream compressed = new CountingInputStream(new BufferedInputStream(in, 1 << 16));
        compressed.mark(2);
        int b0 = compressed.read();
        int b1 = compressed.read();
        compressed.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        InputStream data;
        if (gzip) {
            try {
                data = new BufferedInputStream(new GZIPInputStream(compressed, 1 << 16), 1 << 16);
            } catch (IOException e) {
                throw MalformedFileException.atByte(source, compressed.count(), "corrupt gzip header: " + e.getMessage(), e);
            }
        } else {
            data = compressed;
        }
        return new Parser(data, source, gzip ? compressed : null);
    }

    /**
     * Reads an image file (unsigned bytes, dimensions {@code [n, rows, cols]}) as a
     * {@code [n x rows*cols]} matrix of pixels scaled to [0, 1] (value / 255).
     *
     * @param file an IDX image file, gzipped or raw
     * @return one row per image
     * @throws java.io.IOException if the file cannot be read, is malformed or does not hold images
     */
    public static FloatMatrix readImages(Path file) throws IOException {
        IdxArray array = read(file);
        int[] dims = array.dimensions();
        if (array.type() != IdxType.UNSIGNED_BYTE || dims.length != 3) {
            throw MalformedFileException.atByte(file, 2, "expected images (unsigned bytes, 3 dimensions [n, rows, cols]), found "
                    + array.type() + " " + Arrays.toString(dims));
        }
        return array.toMatrix(1.0 / 255.0);
    }

    /**
     * Reads a label file (integers, one dimension {@code [n]}).
     *
     * @param file an IDX label file, gzipped or raw
     * @return one label per example
     * @throws java.io.IOException if the file cannot be read, is malformed or does not hold labels
     */
    public static int[] readLabels(Path file) throws IOException {
        IdxArray array = read(file);
        int[] dims = array.dimensions();
        if (!array.type().isInteger() || dims.length != 1) {
            throw MalformedFileException.atByte(file, 2, "expected labels (integers, 1 dimension [n]), found "
                    + array.type() + " " + Arrays.toString(dims));
        }
        return array.toIntArray();
    }

    /**
     * Reads a label file as a {@code [n x 1]} matrix.
     *
     * @param file an IDX label file, gzipped or raw
     * @return one row per example
     * @throws java.io.IOException if the file cannot be read, is malformed or does not hold labels
     */
    public static FloatMatrix readLabelsAsMatrix(Path file) throws IOException {
        int[] labels = readLabels(file);
        float[] data = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            data[i] = labels[i];
        }
        return new FloatMatrix(labels.length, 1, data);
    }

    /** The element type and dimensions an IDX header declares. */
    record Header(IdxType type, int[] dims, long elements) {
    }

    /** One pass over the (decompressed) IDX bytes, tracking the offset for error messages. */
    static final class Parser implements java.io.Closeable {
        private final InputStream in;
        private final String source;
        private final CountingInputStream compressed;
        private long offset;

        Parser(InputStream in, String source, CountingInputStream compressed) {
            this.in = in;
            this.source = source;
            this.compressed = compressed;
        }

        IdxArray parse() throws IOException {
            Header h = header();
            byte[] payload = new byte[(int) (h.elements() * h.type().bytes())];
            String what = "the " + payload.length + " data bytes of " + h.type() + " " + Arrays.toString(h.dims());
            readFully(payload, 0, payload.length, what);
            requireEnd(payload.length + " bytes that " + h.type() + " " + Arrays.toString(h.dims()) + " declares");
            return new IdxArray(source, h.type(), h.dims(), payload);
        }

        /** Reads and checks the magic number and the dimensions; the parser is then at the first element. */
        Header header() throws IOException {
            byte[] magic = new byte[4];
            readFully(magic, 0, 4, "the 4-byte magic number");
            if (magic[0] != 0 || magic[1] != 0) {
                throw error(0, String.format("not an IDX file: the magic number %02x %02x %02x %02x must start with two zero bytes",
                        magic[0], magic[1], magic[2], magic[3]));
            }
            IdxType type = IdxType.ofCode(magic[2] & 0xff);
            if (type == null) {
                throw error(2, String.format("unknown IDX element type 0x%02x (expected 08, 09, 0b, 0c, 0d or 0e)",
                        magic[2] & 0xff));
            }
            int rank = magic[3] & 0xff;
            if (rank < 1 || rank > MAX_DIMENSIONS) {
                throw error(3, "number of dimensions " + rank + " is not in 1.." + MAX_DIMENSIONS);
            }
            byte[] dimBytes = new byte[4 * rank];
            readFully(dimBytes, 0, dimBytes.length, rank + " dimension sizes");
            int[] dims = new int[rank];
            long elements = 1;
            long inner = 1; // elements per outermost entry: must fit too when dims[0] == 0
            for (int i = 0; i < rank; i++) {
                int d = ((dimBytes[4 * i] & 0xff) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                        | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
                if (d < 0) {
                    throw error(4 + 4L * i, "dimension " + i + " is negative (" + d + ")");
                }
                dims[i] = d;
                elements *= d;
                inner *= i > 0 ? d : 1;
                if (elements * type.bytes() > MAX_PAYLOAD || inner * type.bytes() > MAX_PAYLOAD) {
                    throw error(4 + 4L * i, "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " of " + type
                            + " exceed the " + MAX_PAYLOAD + " bytes one array can hold");
                }
            }
            return new Header(type, dims, elements);
        }

        /** Fails unless the data ends here; {@code what} says what came before. */
        void requireEnd(String what) throws IOException {
            int extra;
            try {
                extra = in.read();
            } catch (IOException e) {
                throw streamError(e);
            }
            if (extra >= 0) {
                throw error(offset, "unexpected data after the " + what);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        /** Reads exactly {@code length} bytes into {@code buffer} at {@code from}; {@code what} names them. */
        void readFully(byte[] buffer, int from, int length, String what) throws IOException {
            int done = 0;
            while (done < length) {
                int n;
                try {
                    n = in.read(buffer, from + done, length - done);
                } catch (IOException e) {
                    throw streamError(e);
                }
                if (n < 0) {
                    throw error(offset, "file ends after " + done + " of " + length + " bytes of " + what
                            + " (truncated?)");
                }
                done += n;
                offset += n;
            }
        }

        /** A malformed-file error at the current offset. */
        MalformedFileException errorHere(String problem) {
            return error(offset, problem);
        }

        /** A failure of the gzip layer: truncated or corrupt compressed data. */
        private MalformedFileException streamError(IOException e) throws IOException {
            if (compressed == null) {
                throw e; // a plain read error of the file system, not bad content
            }
            return MalformedFileException.atByte(source, offset, "gzip data is truncated or corrupt near compressed byte "
                    + compressed.count() + ": " + e.getMessage(), e);
        }

        private MalformedFileException error(long at, String problem) {
            String where = compressed == null ? "" : " (offset in the decompressed data; near compressed byte " + compressed.count() + ")";
            return MalformedFileException.atByte(source, at, problem + where);
        }
    }

    /** Counts the compressed bytes consumed, so gzip errors can say where in the file they are. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;
        private long mark;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            mark = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            count = mark;
        }
    }
}
