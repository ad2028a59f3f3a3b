package dev.myelin.cpu;

import dev.myelin.spi.Axis;
import java.util.Arrays;

/**
 * The CPU kernels of the normalization operations (moments, normalize, normalizeBackward) on row-major
 * {@code float[]} storage: this class splits a call across threads and runs the {@link NormalizationLoops} of
 * the JVM (Vector API loops when the module is present) over each part's rows. Statistics per column (batch
 * normalization) are computed row after row, each loop covering the part's range of neighbouring columns;
 * statistics per row (layer normalization) row by row. Sums are accumulated in double, so their error does not
 * grow with the batch. Work is split across threads by columns or by rows, never inside one sum, so the
 * results do not depend on the thread count; the per-row layout's parameter gradients (sums over rows) run as
 * a separate column pass before the rows' {@code dx}, so that {@code dx} may overwrite {@code dy}.
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
    private final NormalizationLoops loops;

    private boolean batch;
    private float epsilon;
    private float floor;
    private int rows;
    private int cols;
    private float[] x;
    private float[] mean;
    private float[] var;
    /** The scale, or {@link #ones} for none. */
    private float[] gamma;
    private float[] beta;
    private float[] out;
    private float[] dy;
    private float[] dgamma;
    private float[] dbeta;

    /** Per-column scratch: double sums, and float factors (1 / d, gamma / d, the means of the backward pass). */
    private double[] sumA = new double[0];
    private double[] sumB = new double[0];
    private float[] inv = new float[0];
    private float[] scale = new float[0];
    private float[] meanA = new float[0];
    private float[] meanB = new float[0];
    /** The scale of a call without gamma. */
    private float[] ones = new float[0];

    private final Parallel.RangeTask columnMoments = (p, from, to) -> columnMoments(from, to);
    private final Parallel.RangeTask rowMoments = (p, from, to) -> rowMoments(from, to);
    private final Parallel.RangeTask columnNormalize = (p, from, to) -> columnNormalize(from, to);
    private final Parallel.RangeTask rowNormalize = (p, from, to) -> rowNormalize(from, to);
    private final Parallel.RangeTask columnBackward = (p, from, to) -> columnBackward(from, to);
    private final Parallel.RangeTask rowParameterGradients = (p, from, to) -> rowParameterGradients(from, to);
    private final Parallel.RangeTask rowBackward = (p, from, to) -> rowBackward(from, to);

    NormalizationKernels(Parallel parallel) {
        this(parallel, VectorSupport.normalizationLoops());
    }

    /** Kernels running {@code loops}; a test compares the scalar and the vector loops through it. */
    NormalizationKernels(Parallel parallel, NormalizationLoops loops) {
        this.parallel = parallel;
        this.loops = loops;
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
        gamma = gammas == null ? ones : gammas;
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
        gamma = gammas == null ? ones : gammas;
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
            scale = new float[c];
            meanA = new float[c];
            meanB = new float[c];
            ones = new float[c];
            Arrays.fill(ones, 1f);
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
            loops.addColumns(x, r * cols, sumA, c0, c1);
        }
        for (int c = c0; c < c1; c++) {
            mean[c] = (float) (sumA[c] / rows);
        }
        for (int r = 0; r < rows; r++) {
            loops.addSquaredDeviations(x, r * cols, mean, sumB, c0, c1);
        }
        for (int c = c0; c < c1; c++) {
            var[c] = (float) (sumB[c] / rows);
        }
    }

    private void columnNormalize(int c0, int c1) {
        // y = (x - mean) * (gamma / d) + beta: one factor per column, then two operations per element.
        for (int c = c0; c < c1; c++) {
            inv[c] = gamma[c] / denominator(var[c], epsilon, floor);
        }
        for (int r = 0; r < rows; r++) {
            loops.scaleColumns(x, r * cols, mean, inv, beta, out, c0, c1);
        }
    }

    private void columnBackward(int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            inv[c] = 1f / denominator(var[c], epsilon, floor);
            // dx = gamma / d (dy - mean(dy) - xhat mean(dy xhat)): gamma is constant down a column.
            scale[c] = gamma[c] * inv[c];
        }
        if (batch || dgamma != null || dbeta != null) {
            Arrays.fill(sumA, c0, c1, 0.0);
            Arrays.fill(sumB, c0, c1, 0.0);
            for (int r = 0; r < rows; r++) {
                loops.addGradientColumns(dy, x, r * cols, mean, inv, sumA, sumB, c0, c1);
            }
            storeParameterGradients(c0, c1);
        }
        if (batch) {
            for (int c = c0; c < c1; c++) {
                meanA[c] = (float) (sumA[c] / rows);
                meanB[c] = (float) (sumB[c] / rows);
            }
            for (int r = 0; r < rows; r++) {
                loops.columnGradient(dy, x, r * cols, mean, inv, meanA, meanB, scale, out, c0, c1);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                loops.scaleGradientColumns(dy, r * cols, scale, out, c0, c1);
            }
        }
    }

    private void storeParameterGradients(int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            if (dbeta != null) {
                dbeta[c] = (float) sumA[c];
            }
            if (dgamma != null) {
                dgamma[c] = (float) sumB[c];
            }
        }
    }

    // ---------------------------------------------------------------- statistics per row

    private void rowMoments(int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            loops.rowMoments(x, r * cols, cols, mean, var, r);
        }
    }

    private void rowNormalize(int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            float k = 1f / denominator(var[r], epsilon, floor);
            loops.scaleRow(x, r * cols, mean[r], k, gamma, beta, out, 0, cols);
        }
    }

    /** The column sums of a per-row layout: dgamma = sum_r dy xhat, dbeta = sum_r dy, over columns [c0, c1). */
    private void rowParameterGradients(int c0, int c1) {
        Arrays.fill(sumA, c0, c1, 0.0);
        Arrays.fill(sumB, c0, c1, 0.0);
        for (int r = 0; r < rows; r++) {
            float k = 1f / denominator(var[r], epsilon, floor);
            loops.addGradientRow(dy, x, r * cols, mean[r], k, sumA, sumB, c0, c1);
        }
        storeParameterGradients(c0, c1);
    }

    private void rowBackward(int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            float k = 1f / denominator(var[r], epsilon, floor);
            if (batch) {
                loops.rowGradient(dy, gamma, x, r * cols, cols, mean[r], k, out);
            } else {
                loops.scaleGradientRow(dy, gamma, r * cols, k, out, 0, cols);
            }
        }
    }
}
