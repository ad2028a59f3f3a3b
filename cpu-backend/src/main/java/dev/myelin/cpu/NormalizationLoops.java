package dev.myelin.cpu;

/**
 * The inner loops of the normalization kernels in plain Java: the whole of them when the Vector API is absent,
 * and the tails (the last columns that do not fill a vector) of {@code VectorNormalizationLoops}. Each loop
 * covers the columns {@code [c0, c1)} of the row that starts at offset {@code o} of row-major storage;
 * {@link NormalizationKernels} runs them over the rows of a call.
 *
 * <p>Sums are kept in double, each term computed in float first ({@code d * d} is a float product), so that a
 * vector loop adding the same terms per column gives the same bits. The scale {@code gamma} is never null here
 * (the caller passes ones for an absent one: a product by 1 is exact).
 */
class NormalizationLoops {

    // ---------------------------------------------------------------- statistics per column

    /** {@code sum[c] += x[o+c]} for {@code c} in {@code [c0, c1)}. */
    void addColumns(float[] x, int o, double[] sum, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            sum[c] += x[o + c];
        }
    }

    /** {@code sum[c] += (x[o+c] - mean[c])^2} for {@code c} in {@code [c0, c1)}. */
    void addSquaredDeviations(float[] x, int o, float[] mean, double[] sum, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float d = x[o + c] - mean[c];
            sum[c] += d * d;
        }
    }

    /** {@code y[o+c] = (x[o+c] - mean[c]) * k[c] (+ beta[c])} for {@code c} in {@code [c0, c1)}; beta may be null. */
    void scaleColumns(float[] x, int o, float[] mean, float[] k, float[] beta, float[] y, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float v = (x[o + c] - mean[c]) * k[c];
            y[o + c] = beta == null ? v : v + beta[c];
        }
    }

    /**
     * The parameter gradients' sums over one row, statistics per column: {@code sumG[c] += dy[o+c]} and
     * {@code sumGx[c] += dy[o+c] * xhat}, {@code xhat = (x[o+c] - mean[c]) * inv[c]}.
     */
    void addGradientColumns(float[] dy, float[] x, int o, float[] mean, float[] inv, double[] sumG, double[] sumGx,
            int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float g = dy[o + c];
            sumG[c] += g;
            sumGx[c] += g * ((x[o + c] - mean[c]) * inv[c]);
        }
    }

    /**
     * As {@link #addGradientColumns} with the statistics of the row: {@code xhat = (x[o+c] - m) * k}.
     */
    void addGradientRow(float[] dy, float[] x, int o, float m, float k, double[] sumG, double[] sumGx, int c0,
            int c1) {
        for (int c = c0; c < c1; c++) {
            float g = dy[o + c];
            sumG[c] += g;
            sumGx[c] += g * ((x[o + c] - m) * k);
        }
    }

    /**
     * {@code dx = (dy - meanG[c] - xhat * meanGx[c]) * k[c]} with {@code xhat = (x - mean[c]) * inv[c]}: the
     * gradient through batch statistics per column. {@code dx} may be {@code dy}.
     */
    void columnGradient(float[] dy, float[] x, int o, float[] mean, float[] inv, float[] meanG, float[] meanGx,
            float[] k, float[] dx, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float xhat = (x[o + c] - mean[c]) * inv[c];
            dx[o + c] = (dy[o + c] - meanG[c] - xhat * meanGx[c]) * k[c];
        }
    }

    /** {@code dx[o+c] = dy[o+c] * k[c]}: the gradient through constant statistics. {@code dx} may be {@code dy}. */
    void scaleGradientColumns(float[] dy, int o, float[] k, float[] dx, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            dx[o + c] = dy[o + c] * k[c];
        }
    }

    // ---------------------------------------------------------------- statistics per row

    /** {@code mean[r]} and {@code var[r]} of the row {@code x[o..o+n)}, its variance from the rounded mean. */
    void rowMoments(float[] x, int o, int n, float[] mean, float[] var, int r) {
        float m = (float) (sum(x, o, 0, n) / n);
        mean[r] = m;
        var[r] = (float) (sumSquaredDeviations(x, o, m, 0, n) / n);
    }

    /** The sum of {@code x[o+c]} over {@code c} in {@code [c0, c1)}. */
    static double sum(float[] x, int o, int c0, int c1) {
        double s = 0;
        for (int c = c0; c < c1; c++) {
            s += x[o + c];
        }
        return s;
    }

    /** The sum of {@code (x[o+c] - m)^2} over {@code c} in {@code [c0, c1)}. */
    static double sumSquaredDeviations(float[] x, int o, float m, int c0, int c1) {
        double s = 0;
        for (int c = c0; c < c1; c++) {
            float d = x[o + c] - m;
            s += d * d;
        }
        return s;
    }

    /** {@code y[o+c] = (x[o+c] - m) * k * gamma[c] (+ beta[c])} for {@code c} in {@code [c0, c1)}; beta may be null. */
    void scaleRow(float[] x, int o, float m, float k, float[] gamma, float[] beta, float[] y, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float v = (x[o + c] - m) * k * gamma[c];
            y[o + c] = beta == null ? v : v + beta[c];
        }
    }

    /**
     * The gradient of the row {@code x[o..o+n)} through its own statistics: {@code dx = (g - mean(g) - xhat
     * mean(g xhat)) * k} with {@code g = dy * gamma[c]}, {@code xhat = (x - m) * k}. {@code dx} may be {@code dy}.
     */
    void rowGradient(float[] dy, float[] gamma, float[] x, int o, int n, float m, float k, float[] dx) {
        double s = 0;
        double sx = 0;
        for (int c = 0; c < n; c++) {
            float g = dy[o + c] * gamma[c];
            s += g;
            sx += g * ((x[o + c] - m) * k);
        }
        writeRowGradient(dy, gamma, x, o, m, k, (float) (s / n), (float) (sx / n), dx, 0, n);
    }

    /** {@code dx = (g - meanG - xhat * meanGx) * k} over {@code [c0, c1)}, as {@link #rowGradient} defines them. */
    void writeRowGradient(float[] dy, float[] gamma, float[] x, int o, float m, float k, float meanG, float meanGx,
            float[] dx, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float g = dy[o + c] * gamma[c];
            dx[o + c] = (g - meanG - (x[o + c] - m) * k * meanGx) * k;
        }
    }

    /** {@code dx[o+c] = dy[o+c] * gamma[c] * k}: the gradient of one row through constant statistics. */
    void scaleGradientRow(float[] dy, float[] gamma, int o, float k, float[] dx, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            dx[o + c] = dy[o + c] * gamma[c] * k;
        }
    }
}
