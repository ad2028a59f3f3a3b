package dev.myelin.data;

import java.io.Closeable;
import java.io.IOException;

/** One pass over a {@link BatchSource}: reads the samples, a batch at a time, into arrays the caller owns. */
public interface BatchReader extends Closeable {

    /**
     * Reads up to {@code maxRows} samples, row-major, into the starts of the arrays: features into {@code x}
     * ({@link BatchSource#features()} a row), targets into {@code y} ({@link BatchSource#targetColumns()} a
     * row) and weights into {@code w} (one a row, when {@link BatchSource#hasSampleWeights()}). Fewer rows
     * than asked mean only that the pass is near its end; 0 means it is over.
     *
     * @param x room for {@code maxRows} rows of features
     * @param y room for {@code maxRows} rows of targets, or null to skip them
     * @param w room for {@code maxRows} weights, or null to skip them
     * @param maxRows the most rows to read, at least 1
     * @return the number of rows read, 0 at the end of the pass
     * @throws IOException if the data cannot be read or is malformed (the message names the file and place)
     */
    int read(float[] x, float[] y, float[] w, int maxRows) throws IOException;
}
