package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One partition's training rows, packed once into bytes that Spark persists: the global index of its first
 * row, then the features and targets as little-endian float32. Bytes (not a Myelin object) so that the
 * persisted block and any re-computation of it are the same under every serializer; decoding is two bulk
 * copies.
 *
 * @param partition the partition index
 * @param firstRow  the global index of the first row (rows are numbered 0..N-1 over the data's stored order)
 * @param x         the features, one row per training row
 * @param y         the targets
 */
record Block(int partition, long firstRow, FloatMatrix x, FloatMatrix y) {

    private static final int HEADER = 4 + 8 + 4 + 4 + 4;

    /** The block as bytes. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * (x.data().length + y.data().length))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(partition).putLong(firstRow).putInt(x.rows()).putInt(x.cols()).putInt(y.cols());
        b.asFloatBuffer().put(x.data()).put(y.data());
        return b.array();
    }

    /** The block that {@link #encode()} wrote. */
    static Block decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int partition = b.getInt();
        long firstRow = b.getLong();
        int rows = b.getInt();
        int xCols = b.getInt();
        int yCols = b.getInt();
        float[] x = new float[rows * xCols];
        float[] y = new float[rows * yCols];
        b.asFloatBuffer().get(x).get(y);
        return new Block(partition, firstRow, new FloatMatrix(rows, xCols, x), new FloatMatrix(rows, yCols, y));
    }

    /** The rows of the block at {@code positions[from..to)} of {@code order}, as a batch. */
    FloatMatrix[] batch(int[] order, int from, int to) {
        int[] picked = java.util.Arrays.copyOfRange(order, from, to);
        return new FloatMatrix[] {x.rows(picked), y.rows(picked)};
    }
}
