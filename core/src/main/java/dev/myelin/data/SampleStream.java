package dev.myelin.data;

import java.io.Closeable;
import java.io.IOException;

/**
 * One pass over a file's samples in file order, one record at a time: the features, then the targets, then
 * the weight when the source has one. {@link StreamingBatchReader} batches (and shuffles) the records.
 */
interface SampleStream extends Closeable {

    /**
     * Reads the next sample's record into {@code record} from {@code offset}.
     *
     * @return false at the end of the data (nothing is written)
     * @throws IOException if the data cannot be read or is malformed
     */
    boolean next(float[] record, int offset) throws IOException;
}
