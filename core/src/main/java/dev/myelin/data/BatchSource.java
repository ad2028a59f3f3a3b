package dev.myelin.data;

import java.io.IOException;

/**
 * A data set read in batches, one pass at a time, without holding it in memory: what {@code fit},
 * {@code evaluate} and {@code predict} take when the data does not fit in the heap (Keras's generators and
 * {@code tf.data} datasets). Each {@link #open pass} streams the samples: features, targets in the form
 * the loss expects (e.g. class indices for a sparse loss), and optionally a weight per sample.
 *
 * <p>{@link IdxBatchSource} streams IDX files (MNIST, Fashion-MNIST, gzipped or raw) and
 * {@link CsvBatchSource} CSV files; {@link #of(FloatMatrix, FloatMatrix)} wraps matrices already in memory.
 *
 * <pre>{@code
 * BatchSource train = FashionMnist.trainingSource(null);        // 60,000 images, streamed from the .gz files
 * model.fit(train, new FitOptions().epochs(5).batchSize(128));
 * }</pre>
 *
 * <p>Contract for implementors: a pass with the same {@code shuffle} flag and {@code seed} yields the same
 * samples in the same order (so same-seed runs are reproducible); every pass yields the same samples
 * (in some order) as long as the data does not change; {@link #samples()} is their count, or -1 when it is
 * not known before a pass ends.
 */
public interface BatchSource {

    /**
     * The number of features of each sample (the columns of {@code x}).
     *
     * @return at least 1
     */
    int features();

    /**
     * The number of target values of each sample: 1 for class indices, the number of outputs otherwise,
     * 0 when the source has no targets (it then serves {@code predict} only).
     *
     * @return 0 or more
     */
    int targetColumns();

    /**
     * Whether the source yields a weight per sample.
     *
     * @return true when {@link BatchReader#read} fills the weights array
     */
    boolean hasSampleWeights();

    /**
     * The number of samples a pass yields.
     *
     * @return the count, or -1 when it is known only once a pass ends
     */
    long samples();

    /**
     * Starts a pass over the data.
     *
     * @param shuffle whether to yield the samples in a shuffled order
     * @param seed the seed of the shuffle; the same seed gives the same order
     * @return a reader of this pass, to be closed by the caller
     * @throws IOException if the data cannot be opened
     */
    BatchReader open(boolean shuffle, long seed) throws IOException;

    /**
     * A source over matrices in memory (for tests, and for code written against {@code BatchSource}); it
     * holds references to them, not copies. Shuffled passes draw a full permutation.
     *
     * @param x the features, one sample a row, not null
     * @param y the targets, one row per row of {@code x}, or null for predict-only data
     * @return a new source
     * @throws IllegalArgumentException if the row counts differ
     */
    static BatchSource of(FloatMatrix x, FloatMatrix y) {
        return new MatrixBatchSource(x, y, null);
    }

    /**
     * A source over matrices in memory with a weight per sample; see {@link #of(FloatMatrix, FloatMatrix)}.
     *
     * @param x the features, one sample a row, not null
     * @param y the targets, one row per row of {@code x}, not null
     * @param sampleWeight one weight per row of {@code x}, not null
     * @return a new source
     * @throws IllegalArgumentException if the counts differ
     */
    static BatchSource of(FloatMatrix x, FloatMatrix y, float[] sampleWeight) {
        java.util.Objects.requireNonNull(sampleWeight, "BatchSource.of: argument 'sampleWeight' is null");
        return new MatrixBatchSource(x, y, sampleWeight);
    }
}
