package dev.myelin.contract;

import dev.myelin.spi.Axis;

/**
 * The float64 reference of the normalization operations ({@link dev.myelin.spi.Backend#moments},
 * {@code normalize}, {@code normalizeBackward}): Keras 3's formulas for batch normalization (statistics per
 * column), layer normalization (per row) and the Normalization layer, written out directly, element by
 * element. Tensors are row-major {@code rows x cols} arrays; statistics are per column ({@link Axis#PER_COLUMN},
 * {@code cols} values) or per row ({@link Axis#PER_ROW}, {@code rows} values).
 */
public final class NormalizationMath {

    private NormalizationMath() {
    }

    /** The index of the statistic of element {@code (r, c)}. */
    private static int stat(Axis axis, int r, int c) {
        return axis == Axis.PER_COLUMN ? c : r;
    }

    /** How many elements each statistic covers: rows for PER_COLUMN, columns for PER_ROW. */
    private static int count(Axis axis, int rows, int cols) {
        return axis == Axis.PER_COLUMN ? rows : cols;
    }

    /**
     * The mean and biased variance along {@code axis}, two passes.
     *
     * @param axis PER_COLUMN or PER_ROW
     * @param x the input, row-major
     * @param rows its rows
     * @param cols its columns
     * @return {@code {mean, variance}}
     */
    public static double[][] moments(Axis axis, double[] x, int rows, int cols) {
        int m = axis == Axis.PER_COLUMN ? cols : rows;
        int n = count(axis, rows, cols);
        double[] mean = new double[m];
        double[] var = new double[m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                mean[stat(axis, r, c)] += x[r * cols + c];
            }
        }
        for (int i = 0; i < m; i++) {
            mean[i] /= n;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double d = x[r * cols + c] - mean[stat(axis, r, c)];
                var[stat(axis, r, c)] += d * d;
            }
        }
        for (int i = 0; i < m; i++) {
            var[i] /= n;
        }
        return new double[][] {mean, var};
    }

    /**
     * The denominator {@code max(sqrt(variance + epsilon), floor)}, NaN winning.
     *
     * @param variance the variance
     * @param epsilon added to it
     * @param floor the least value
     * @return the denominator
     */
    public static double denominator(double variance, double epsilon, double floor) {
        double d = Math.sqrt(variance + epsilon);
        return d < floor ? floor : d;
    }

    /**
     * {@code y = (x - mean) / d * gamma + beta}.
     *
     * @param axis the statistics' axis
     * @param epsilon added to the variance
     * @param floor the least denominator
     * @param x the input
     * @param rows its rows
     * @param cols its columns
     * @param mean the means
     * @param var the variances
     * @param gamma per column, or null for 1
     * @param beta per column, or null for 0
     * @return y
     */
    public static double[] normalize(Axis axis, double epsilon, double floor, double[] x, int rows, int cols,
            double[] mean, double[] var, double[] gamma, double[] beta) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int s = stat(axis, r, c);
                double v = (x[r * cols + c] - mean[s]) / denominator(var[s], epsilon, floor);
                y[r * cols + c] = v * (gamma == null ? 1 : gamma[c]) + (beta == null ? 0 : beta[c]);
            }
        }
        return y;
    }

    /**
     * The gradients of {@link #normalize}: {@code {dgamma, dbeta, dx}}. With {@code batchStatistics} the
     * statistics are the moments of {@code x} and are differentiated (the chain rule through the mean and the
     * biased variance, written as {@code dx = (g - mean(g) - xhat mean(g xhat)) / d}, {@code g = dy gamma}).
     *
     * @param axis the statistics' axis
     * @param batchStatistics whether the statistics are differentiated
     * @param epsilon added to the variance
     * @param floor the least denominator
     * @param x the forward input
     * @param rows its rows
     * @param cols its columns
     * @param mean the means
     * @param var the variances
     * @param gamma per column, or null for 1
     * @param dy the gradient of the output
     * @return {@code {dgamma, dbeta, dx}}
     */
    public static double[][] normalizeBackward(Axis axis, boolean batchStatistics, double epsilon, double floor,
            double[] x, int rows, int cols, double[] mean, double[] var, double[] gamma, double[] dy) {
        int m = axis == Axis.PER_COLUMN ? cols : rows;
        int n = count(axis, rows, cols);
        double[] dgamma = new double[cols];
        double[] dbeta = new double[cols];
        double[] xhat = new double[rows * cols];
        double[] g = new double[rows * cols];
        double[] sumG = new double[m];
        double[] sumGx = new double[m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                int s = stat(axis, r, c);
                xhat[i] = (x[i] - mean[s]) / denominator(var[s], epsilon, floor);
                dgamma[c] += dy[i] * xhat[i];
                dbeta[c] += dy[i];
                g[i] = dy[i] * (gamma == null ? 1 : gamma[c]);
                sumG[s] += g[i];
                sumGx[s] += g[i] * xhat[i];
            }
        }
        double[] dx = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                int s = stat(axis, r, c);
                double d = denominator(var[s], epsilon, floor);
                dx[i] = batchStatistics ? (g[i] - sumG[s] / n - xhat[i] * sumGx[s] / n) / d : g[i] / d;
            }
        }
        return new double[][] {dgamma, dbeta, dx};
    }
}
