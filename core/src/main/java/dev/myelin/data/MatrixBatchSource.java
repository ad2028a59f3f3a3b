package dev.myelin.data;

import java.util.Objects;

/** {@link BatchSource#of}: matrices in memory, read in order or in a full permutation drawn from the seed. */
final class MatrixBatchSource implements BatchSource {

    private final FloatMatrix x;
    private final FloatMatrix y;
    private final float[] w;

    MatrixBatchSource(FloatMatrix x, FloatMatrix y, float[] w) {
        this.x = Objects.requireNonNull(x, "BatchSource.of: argument 'x' is null");
        this.y = y;
        this.w = w;
        if (y != null && y.rows() != x.rows()) {
            throw new IllegalArgumentException("BatchSource.of: argument 'y' must have one row per row of x ("
                    + x.rows() + "), got [" + y.rows() + " x " + y.cols() + "]");
        }
        if (w != null && w.length != x.rows()) {
            throw new IllegalArgumentException("BatchSource.of: argument 'sampleWeight' must hold one weight per row"
                    + " of x (" + x.rows() + "), got " + w.length);
        }
    }

    @Override
    public int features() {
        return x.cols();
    }

    @Override
    public int targetColumns() {
        return y == null ? 0 : y.cols();
    }

    @Override
    public boolean hasSampleWeights() {
        return w != null;
    }

    @Override
    public long samples() {
        return x.rows();
    }

    @Override
    public BatchReader open(boolean shuffle, long seed) {
        int n = x.rows();
        int[] order = shuffle ? Shuffling.permutation(n, seed) : null;
        return new BatchReader() {
            private int next;

            @Override
            public int read(float[] xs, float[] ys, float[] ws, int maxRows) {
                int rows = Math.min(maxRows, n - next);
                int f = x.cols();
                for (int r = 0; r < rows; r++) {
                    int row = order == null ? next + r : order[next + r];
                    System.arraycopy(x.data(), row * f, xs, r * f, f);
                    if (ys != null && y != null) {
                        System.arraycopy(y.data(), row * y.cols(), ys, r * y.cols(), y.cols());
                    }
                    if (ws != null && w != null) {
                        ws[r] = w[row];
                    }
                }
                next += Math.max(rows, 0);
                return Math.max(rows, 0);
            }

            @Override
            public void close() {
            }
        };
    }
}
