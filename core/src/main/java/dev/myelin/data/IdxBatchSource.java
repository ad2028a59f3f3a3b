package dev.myelin.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Streams an IDX image file and its label file (MNIST, Fashion-MNIST; gzipped or raw) as a
 * {@link BatchSource}: features are the pixels scaled to [0, 1] exactly as {@link IdxReader#readImages} scales
 * them, targets the class index ({@code [n x 1]}, for sparse categorical cross-entropy). Each pass
 * decompresses the files as it reads them; memory is one image plus the shuffle buffer.
 *
 * <p>Shuffled passes go through a bounded shuffle buffer of {@link #shuffleBuffer(int)} samples (default
 * {@value #DEFAULT_SHUFFLE_BUFFER}; see {@link StreamingBatchReader}): a gzip stream has no random access, and
 * the buffer keeps memory bounded. Each buffered sample takes {@code (features + 1) * 4} bytes (3.1 KB for
 * a 28x28 image). The headers are checked when the source is made; a file that is truncated or has extra
 * data fails in the pass that reaches that point, with the file and byte named.
 *
 * <pre>{@code
 * BatchSource train = IdxBatchSource.of(dir.resolve("train-images-idx3-ubyte.gz"),
 *         dir.resolve("train-labels-idx1-ubyte.gz")).shuffleBuffer(8192);
 * }</pre>
 */
public final class IdxBatchSource implements BatchSource {

    /** The shuffle buffer's default size in samples (12.9 MB for 28x28 images). */
    public static final int DEFAULT_SHUFFLE_BUFFER = 4096;

    private final Path images;
    private final Path labels;
    private final int count;
    private final int features;
    private final IdxType labelType;
    private final int shuffleBuffer;

    private IdxBatchSource(Path images, Path labels, int count, int features, IdxType labelType, int shuffleBuffer) {
        this.images = images;
        this.labels = labels;
        this.count = count;
        this.features = features;
        this.labelType = labelType;
        this.shuffleBuffer = shuffleBuffer;
    }

    /**
     * A source over an image file (unsigned bytes, {@code [n, rows, cols]}) and a label file (integers,
     * {@code [n]}); reads and checks both headers.
     *
     * @param images an IDX image file, gzipped or raw
     * @param labels an IDX label file with as many labels as there are images
     * @return a new source with the default shuffle buffer
     * @throws IOException if a file cannot be read, or its header is malformed or does not fit
     */
    public static IdxBatchSource of(Path images, Path labels) throws IOException {
        Objects.requireNonNull(images, "IdxBatchSource.of: argument 'images' is null");
        Objects.requireNonNull(labels, "IdxBatchSource.of: argument 'labels' is null");
        IdxReader.Header ih;
        try (IdxReader.Parser p = IdxReader.open(Files.newInputStream(images), images.toString())) {
            ih = p.header();
        }
        IdxReader.Header lh;
        try (IdxReader.Parser p = IdxReader.open(Files.newInputStream(labels), labels.toString())) {
            lh = p.header();
        }
        if (ih.type() != IdxType.UNSIGNED_BYTE || ih.dims().length != 3) {
            throw MalformedFileException.atByte(images, 2, "expected images (unsigned bytes, 3 dimensions [n, rows,"
                    + " cols]), found " + ih.type() + " " + Arrays.toString(ih.dims()));
        }
        if (!lh.type().isInteger() || lh.dims().length != 1) {
            throw MalformedFileException.atByte(labels, 2, "expected labels (integers, 1 dimension [n]), found "
                    + lh.type() + " " + Arrays.toString(lh.dims()));
        }
        if (lh.dims()[0] != ih.dims()[0]) {
            throw MalformedFileException.atByte(labels, 4, "holds " + lh.dims()[0] + " labels, but " + images
                    + " holds " + ih.dims()[0] + " images");
        }
        return new IdxBatchSource(images, labels, ih.dims()[0], ih.dims()[1] * ih.dims()[2], lh.type(),
                DEFAULT_SHUFFLE_BUFFER);
    }

    /**
     * The same files with another shuffle buffer.
     *
     * @param samples the buffer's size in samples, at least 1 (1 does not shuffle at all)
     * @return a new source
     */
    public IdxBatchSource shuffleBuffer(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("shuffleBuffer: argument 'samples' must be >= 1, got " + samples);
        }
        return new IdxBatchSource(images, labels, count, features, labelType, samples);
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public int targetColumns() {
        return 1;
    }

    @Override
    public boolean hasSampleWeights() {
        return false;
    }

    @Override
    public long samples() {
        return count;
    }

    @Override
    public BatchReader open(boolean shuffle, long seed) throws IOException {
        return new StreamingBatchReader(new Pass(), features, 1, false, shuffle ? shuffleBuffer : 0, seed);
    }

    @Override
    public String toString() {
        return "IdxBatchSource[" + images + ", " + labels + ", " + count + " samples x " + features + " features]";
    }

    /** One pass: both files open, read a record at a time. */
    private final class Pass implements SampleStream {
        private final IdxReader.Parser image;
        private final IdxReader.Parser label;
        private final byte[] pixels = new byte[features];
        private final byte[] labelBytes = new byte[labelType.bytes()];
        private final float[] scale = new float[256];
        private int read;

        Pass() throws IOException {
            IdxReader.Parser i = IdxReader.open(Files.newInputStream(images), images.toString());
            try {
                label = IdxReader.open(Files.newInputStream(labels), labels.toString());
            } catch (IOException | RuntimeException e) {
                i.close();
                throw e;
            }
            image = i;
            try {
                image.header();
                label.header();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
            // The table IdxArray.toMatrix(1 / 255) uses, so streamed pixels equal loaded ones bit for bit.
            double factor = 1.0 / 255.0;
            for (int v = 0; v < 256; v++) {
                scale[v] = (float) (v * factor);
            }
        }

        @Override
        public boolean next(float[] record, int offset) throws IOException {
            if (read == count) {
                image.requireEnd(count + " images the header declares");
                label.requireEnd(count + " labels the header declares");
                return false;
            }
            image.readFully(pixels, 0, features, "an image");
            label.readFully(labelBytes, 0, labelBytes.length, "a label");
            for (int i = 0; i < features; i++) {
                record[offset + i] = scale[pixels[i] & 0xff];
            }
            int v = switch (labelType) {
                case UNSIGNED_BYTE -> labelBytes[0] & 0xff;
                case SIGNED_BYTE -> labelBytes[0];
                case SHORT -> (short) (((labelBytes[0] & 0xff) << 8) | (labelBytes[1] & 0xff));
                default -> ((labelBytes[0] & 0xff) << 24) | ((labelBytes[1] & 0xff) << 16)
                        | ((labelBytes[2] & 0xff) << 8) | (labelBytes[3] & 0xff);
            };
            if (v < 0) {
                throw label.errorHere("label " + v + " of example " + read + " is negative; expected a class index");
            }
            record[offset + features] = v;
            read++;
            return true;
        }

        @Override
        public void close() throws IOException {
            try {
                image.close();
            } finally {
                label.close();
            }
        }
    }
}
