package dev.myelin.data;

import java.io.IOException;

/**
 * Batches the records of a {@link SampleStream}, in file order or through a bounded shuffle buffer (as
 * {@code tf.data}'s {@code shuffle(buffer_size)}): the buffer holds the next {@code size} records, each
 * read takes a random one out and puts the next record of the file in its place. Memory is the buffer,
 * whatever the size of the file; a sample moves at most {@code size} places earlier than its position in
 * the file, so the order is a full shuffle only when the buffer holds the whole pass. A gzipped file
 * cannot be read at random offsets without decompressing it, which is why the shuffle happens here.
 * The generator ({@link Shuffling}'s SplitMix64) is seeded per pass, so the same seed gives the same order
 * on every JDK.
 */
final class StreamingBatchReader implements BatchReader {

    private final SampleStream in;
    private final int features;
    private final int targets;
    private final boolean weighted;
    private final int width;
    private final float[] pool;
    private final Shuffling.SplitMix64 random;
    private int filled;
    private boolean started;

    /**
     * @param bufferSize the shuffle buffer, in samples; 0 reads in file order
     */
    StreamingBatchReader(SampleStream in, int features, int targets, boolean weighted, int bufferSize, long seed) {
        this.in = in;
        this.features = features;
        this.targets = targets;
        this.weighted = weighted;
        this.width = features + targets + (weighted ? 1 : 0);
        this.pool = new float[Math.multiplyExact(Math.max(1, bufferSize), width)];
        this.random = bufferSize > 0 ? new Shuffling.SplitMix64(seed) : null;
    }

    @Override
    public int read(float[] x, float[] y, float[] w, int maxRows) throws IOException {
        if (maxRows < 1) {
            throw new IllegalArgumentException("read: argument 'maxRows' must be >= 1, got " + maxRows);
        }
        int rows = 0;
        while (rows < maxRows) {
            int at = random == null ? inOrder() : shuffled();
            if (at < 0) {
                break;
            }
            System.arraycopy(pool, at, x, rows * features, features);
            if (y != null && targets > 0) {
                System.arraycopy(pool, at + features, y, rows * targets, targets);
            }
            if (w != null && weighted) {
                w[rows] = pool[at + features + targets];
            }
            if (random != null) {
                refill(at);
            }
            rows++;
        }
        return rows;
    }

    /** The offset of the next record in file order, or -1 at the end. */
    private int inOrder() throws IOException {
        return in.next(pool, 0) ? 0 : -1;
    }

    /** The offset of a random buffered record (filling the buffer first), or -1 once it is empty. */
    private int shuffled() throws IOException {
        if (!started) {
            started = true;
            int capacity = pool.length / width;
            while (filled < capacity && in.next(pool, filled * width)) {
                filled++;
            }
        }
        return filled == 0 ? -1 : random.nextInt(filled) * width;
    }

    /** Puts the file's next record where the one at {@code at} was taken, or the last buffered one. */
    private void refill(int at) throws IOException {
        if (!in.next(pool, at)) {
            filled--;
            System.arraycopy(pool, filled * width, pool, at, width);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
