package dev.myelin.cpu;

import dev.myelin.spi.Activation;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;

/**
 * The hot loops of the CPU backend over ranges of flat {@code float[]} storage. Two implementations:
 * {@link ScalarKernels} (plain Java, used when the Vector API module is absent) and
 * {@code VectorKernels} (JDK Vector API, sized from the preferred species). The backend splits work
 * into ranges across threads and calls these on each range.
 */
interface Kernels {

    /** What the kernels run on, e.g. "Vector API: 256-bit, 8 floats/vector (AVX2)". */
    String describe();

    /** The register-tiled GEMM micro-kernel matching these kernels. */
    MicroKernel microKernel();

    /** {@code y[i] = f(x[i])} for {@code i} in {@code [from, to)}. */
    void activation(Activation f, float alpha, float[] x, float[] y, int from, int to);

    /** {@code dx[i] = dy[i] * f'(x)} written with the forward output {@code y[i]}. */
    void activationBackward(Activation f, float alpha, float[] y, float[] dy, float[] dx, int from, int to);

    /** {@code dx[i] = dy[i] * f'(x[i])} from the forward input. */
    void activationBackwardFromInput(Activation f, float alpha, float[] x, float[] dy, float[] dx, int from, int to);

    /** Row-wise log-softmax of rows {@code [rowFrom, rowTo)}; {@code y} may be {@code x}. */
    void logSoftmaxRows(float[] x, float[] y, int cols, int rowFrom, int rowTo);

    /** Row-wise, max-subtracted softmax of rows {@code [rowFrom, rowTo)} of {@code cols} columns. */
    void softmaxRows(float[] x, float[] y, int cols, int rowFrom, int rowTo);

    /**
     * {@code y[o+j] = e^(x[o+j] - shift)} for {@code j < len}, {@code shift} being at least every
     * {@code x[o+j]} (the row's max); returns the sum of the written values, accumulated in double (the
     * log-sum-exp of the exact cross-entropy needs it). Values below MIN_NORMAL may be flushed to zero.
     */
    double expShifted(float[] x, float[] y, int o, int len, float shift);

    /**
     * Reduces {@code x[from..to)}: the sum for SUM, MEAN (the caller divides), SUM_ABS and SUM_SQUARES;
     * the extreme for MAX and MIN. Sums are accumulated in float within blocks and in double across them.
     */
    double reduce(Reduction r, float[] x, int from, int to);

    /**
     * Folds rows {@code [rowFrom, rowTo)} of {@code x} ({@code cols} wide) into {@code acc[colFrom..colTo)}:
     * {@code acc[c] = acc[c] (+|max|min) term(x[r][c])}, with the term of {@link #reduce}.
     */
    void reduceColumns(Reduction r, float[] x, int cols, int rowFrom, int rowTo, int colFrom, int colTo, float[] acc);

    /** {@code out[oo+i] = a[ao+i] op b[bo+i]} for {@code i < len}. */
    void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int len);

    /** {@code out[oo+i] = a[ao+i] op s} for {@code i < len}. */
    void binaryScalar(BinaryOp op, float[] a, int ao, float s, float[] out, int oo, int len);

    /** {@code y = alpha x + beta y} over {@code [from, to)}; with {@code beta == 0} y is not read. */
    void axpby(float alpha, float[] x, float beta, float[] y, int from, int to);
}
