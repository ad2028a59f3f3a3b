package dev.myelin.cpu;

import dev.myelin.spi.Axis;
import java.util.Arrays;

/**
 * The CPU kernels of the normalization operations (moments, normalize, normalizeBackward) on row-major
 * {@code float[]} storage. Statistics per column (batch normalization) are computed row after row with the
 * inner loop over a range of neighbouring columns, which C2 compiles to vector loads; statistics per row
 * (layer normalization) row by row. Sums are accumulated in double scratch, so their error does not grow
 * with the batch. Work is split across threads by columns or by rows; the per-row layout's parameter
 * gradients (sums over rows) run as a separate column pass before the rows' {@code dx}, so that {@code dx}
 * may overwrite {@code dy}.
 *
 * <p>The arguments of the call being run live in fields, set under the backend's dispatch lock (one call
 * at a time), so that a split call allocates nothing; the scratch arrays grow on first use and are kept.
 */
final class NormalizationKernels {

    /** Elements per thread below which the work stays on the calling thread. */
    private static final int GRAIN = 1 << 14;
    /** Column ranges split across threads start at multiples of this (whole cache lines). */
    private static final int COLUMN_ALIGN = 16;

    private final Parallel parallel;

    private boolean batch;
    private float epsilon;
    private float floor;
    private int rows;
    private int cols;
    private float[] x;
    private float[] mean;
    private float[] var;
    private float[] gamma;
    private float[] beta;
    private float[] out;
    private float[] dy;
    private float[] dgamma;
    private float[] dbeta;

    /** Per-column scratch: double sums, and float factors (1 / d, the means of the backward pass). */
    private double[] sumA = new double[0];
    private double[] sumB = new double[0];
    private float[] inv = new float[0];
    private float[] meanA = new float[0];
    private float[] meanB = new float[0];

    private final Parallel.RangeTask columnMoments = (p, from, to) -> columnMoments(from, to);
    private final Parallel.RangeTask rowMoments = (p, from, to) -> rowMoments(from, to);
    private final Parallel.RangeTask columnNormalize = (p, from, to) -> columnNormalize(from, to);
    private final Parallel.RangeTask rowNormalize = (p, from, to) -> rowNormalize(from, to);
    private final Parallel.RangeTask columnBackward = (p, from, to) -> columnBackward(from, to);
    private final Parallel.RangeTask rowParameterGradients = (p, from, to) -> rowParameterGradients(from, to);
    private final Parallel.RangeTask rowBackward = (p, from, to) -> rowBackward(from, to);

    NormalizationKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    /** {@code max(sqrt(variance + epsilon), floor)} in float; a NaN variance stays NaN (the comparison is false). */
    private static float denominator(float variance, float epsilon, float floor) {
        float d = (float) Math.sqrt(variance + epsilon);
        return d < floor ? floor : d;
    }

    void moments(Axis axis, float[] xs, int r, int c, float[] means, float[] variances) {
        set(r, c, xs);
        mean = means;
        var = variances;
        try {
            split(axis, columnMoments, rowMoments);
        } finally {
            clear();
        }
    }

    void normalize(Axis axis, float eps, float fl, float[] xs, int r, int c, float[] means, float[] variances,
            float[] gammas, float[] betas, float[] ys) {
        set(r, c, xs);
        epsilon = eps;
        floor = fl;
        mean = means;
        var = variances;
        gamma = gammas;
        beta = betas;
        out = ys;
        try {
            split(axis, columnNormalize, rowNormalize);
        } finally {
            clear();
        }
    }

    void normalizeBackward(Axis axis, boolean batchStatistics, float eps, float fl, float[] xs, int r, int c,
            float[] means, float[] variances, float[] gammas, float[] dys, float[] dgammas, float[] dbetas,
            float[] dxs) {
        set(r, c, xs);
        batch = batchStatistics;
        epsilon = eps;
        floor = fl;
        mean = means;
        var = variances;
        gamma = gammas;
        dy = dys;
        dgamma = dgammas;
        dbeta = dbetas;
        out = dxs;
        try {
            if (axis == Axis.PER_COLUMN) {
                split(axis, columnBackward, null);
            } else {
                if (dgamma != null || dbeta != null) {
                    split(Axis.PER_COLUMN, rowParameterGradients, null);
                }
                split(axis, null, rowBackward);
            }
        } finally {
            clear();
        }
    }

    private void set(int r, int c, float[] xs) {
        rows = r;
        cols = c;
        x = xs;
        if (inv.length < c) {
            sumA = new double[c];
            sumB = new double[c];
            inv = new float[c];
            meanA = new float[c];
            meanB = new float[c];
        }
    }

    /** Runs {@code columnTask} over column ranges (PER_COLUMN) or {@code rowTask} over row ranges (PER_ROW). */
    private void split(Axis axis, Parallel.RangeTask columnTask, Parallel.RangeTask rowTask) {
        long work = (long) rows * cols;
        if (axis == Axis.PER_COLUMN) {
            int parts = Math.min(cols / COLUMN_ALIGN + 1, parallel.parts(work, GRAIN));
            if (parts <= 1) {
                columnTask.run(0, 0, cols);
            } else {
                parallel.run(parts, cols, COLUMN_ALIGN, columnTask);
            }
        } else {
            int parts = Math.min(rows, parallel.parts(work, GRAIN));
            if (parts <= 1) {
                rowTask.run(0, 0, rows);
            } else {
                parallel.run(parts, rows, 1, rowTask);
            }
        }
    }

    private void clear() {
        x = null;
        mean = null;
        var = null;
        gamma = null;
        beta = null;
        out = null;
        dy = null;
        dgamma = null;
        dbeta = null;
    }

    // ---------------------------------------------------------------- statistics per column

    private void columnMoments(int c0, int c1) {
        Arrays.fill(sumA, c0, c1, 0.0);
        Arrays.fill(sumB, c0, c1, 0.0);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = c0; c < c1; c++) {
                sumA[c] += x[o + c];
            }
        }
        for (int c = c0; c < c1; c++) {
            mean[c] = (float) (sumA[c] / rows);
        }
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = c0; c < c1; c++) {
                float d = x[o + c] - mean[c];
                sumB[c] += d * d;
            }
        }
        for (int c = c0; c < c1; c++) {
            var[c] = (float) (sumB[c] / rows);
        }
    }

    private void columnNormalize(int c0, int c1) {
        // y = (x - mean) * (gamma / d) + beta: one factor per column, then two operations per element.
        for (int c = c0; c < c1; c++) {
            inv[c] = (gamma == null ? 1f : gamma[c]) / denominator(var[c], epsilon, floor);
        }
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = c0; c < c1; c++) {
                float v = (x[o + c] - mean[c]) * inv[c];
                out[o + c] = beta == null ? v : v + beta[c];
            }
        }
    }

    private void columnBackward(int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            inv[c] = 1f / denominator(var[c], epsilon, floor);
        }
        Arrays.fill(sumA, c0, c1, 0.0);
        Arrays.fill(sumB, c0, c1, 0.0);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = c0; c < c1; c++) {
                float g = dy[o + c];
                sumA[c] += g;
                sumB[c] += g * ((x[o + c] - mean[c]) * inv[c]);
            }
        }
        for (int c = c0; c < c1; c++) {
            if (dbeta != null) {
                dbeta[c] = (float) sumA[c];
            }
            if (dgamma != null) {
                dgamma[c] = (float) sumB[c];
            }
            meanA[c] = (float) (sumA[c] / rows);
            meanB[c] = (float) (sumB[c] / rows);
        }
        // dx = gamma / d (dy - mean(dy) - xhat mean(dy xhat)): gamma is constant down a column.
        float[] dx = out;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = c0; c < c1; c++) {
                float k = gamma == null ? inv[c] : gamma[c] * inv[c];
                float g = dy[o + c];
                if (batch) {
                    float xhat = (x[o + c] - mean[c]) * inv[c];
                    dx[o + c] = (g - meanA[c] - xhat * meanB[c]) * k;
                } else {
                    dx[o + c] = g * k;
                }
            }
        }
    }

    // ---------------------------------------------------------------- statistics per row

    private void rowMoments(int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += x[o + c];
            }
            float m = (float) (s / cols);
            double q = 0;
            for (int c = 0; c < cols; c++) {
                float d = x[o + c] - m;
                q += d * d;
            }
            mean[r] = m;
            var[r] = (float) (q / cols);
        }
    }

    private void rowNormalize(int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            float m = mean[r];
            float k = 1f / denominator(var[r], epsilon, floor);
            for (int c = 0; c < cols; c++) {
                float v = (x[o + c] - m) * k;
                if (gamma != null) {
                    v *= gamma[c];
                }
                out[o + c] = beta == null ? v : v + beta[c];
            }
        }
    }

    /** The column sums of a per-row layout: dgamma = sum_r dy xhat, dbeta = sum_r dy, over columns [c0, c1). */
    private void rowParameterGradients(int c0, int c1) {
        Arrays.fill(sumA, c0, c1, 0.0);
        Arrays.fill(sumB, c0, c1, 0.0);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float m = mean[r];
            float k = 1f / denominator(var[r], epsilon, floor);
            for (int c = c0; c < c1; c++) {
                float g = dy[o + c];
                sumA[c] += g;
                sumB[c] += g * ((x[o + c] - m) * k);
            }
        }
        for (int c = c0; c < c1; c++) {
            if (dbeta != null) {
                dbeta[c] = (float) sumA[c];
            }
            if (dgamma != null) {
                dgamma[c] = (float) sumB[c];
            }
        }
    }

    private void rowBackward(int r0, int r1) {
        float[] dx = out;
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            float m = mean[r];
            float k = 1f / denominator(var[r], epsilon, floor);
            float meanG = 0f;
            float meanGx = 0f;
            if (batch) {
                double s = 0;
                double sx = 0;
                for (int c = 0; c < cols; c++) {
                    float g = gamma == null ? dy[o + c] : dy[o + c] * gamma[c];
                    s += g;
                    sx += g * ((x[o + c] - m) * k);
                }
                meanG = (float) (s / cols);
                meanGx = (float) (sx / cols);
            }
            for (int c = 0; c < cols; c++) {
                float g = gamma == null ? dy[o + c] : dy[o + c] * gamma[c];
                dx[o + c] = batch ? (g - meanG - (x[o + c] - m) * k * meanGx) * k : g * k;
            }
        }
    }
}
