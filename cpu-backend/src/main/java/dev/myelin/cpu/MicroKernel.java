package dev.myelin.cpu;

/**
 * The innermost block of {@link Sgemm}: multiplies a packed {@code MR x kc} sliver of A by a packed
 * {@code kc x NR} sliver of B and writes {@code C = A B + beta * C} for one full {@code MR x NR} tile
 * (edge tiles go through a scratch tile, see {@link Sgemm}). There is no alpha: {@link Sgemm} folds it
 * into the packed B, so that the accumulating kernels can start from {@code beta * C} and end with a
 * plain store.
 *
 * <p>Packed layouts: A holds {@code MR} values of one column per step ({@code a[aOff + p*MR + r]}),
 * B holds {@code NR} values of one row per step ({@code b[bOff + p*NR + j]}).
 */
interface MicroKernel {

    /** Rows of the register tile. */
    int mr();

    /** Columns of the register tile. */
    int nr();

    /**
     * One full tile. With {@code beta == 0} C is not read.
     *
     * @param c    output, element {@code (r, j)} at {@code c[cOff + r*ldc + j]}
     */
    void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta);

    /**
     * Packs {@code kc} rows of {@code NR} columns of a B stored as is into one sliver:
     * {@code bp[dst + p*NR + j] = alpha * b[src + p*ldb + j]}. A kernel that owns a faster copy than
     * this loop overrides it: the copy is the bulk of packing B, and at training shapes (B the
     * weights, 128 rows of A) each packed element feeds only 128 multiply-adds.
     */
    default void packRowsB(int kc, float alpha, float[] b, int src, int ldb, float[] bp, int dst) {
        int nr = nr();
        for (int p = 0; p < kc; p++) {
            int s = src + p * ldb;
            int d = dst + p * nr;
            for (int j = 0; j < nr; j++) {
                bp[d + j] = alpha * b[s + j];
            }
        }
    }

    /**
     * Packs {@code kc} rows of one full {@code NR}-column sliver of a B that is stored transposed
     * (op(B)[p][j] = B[j][p]): {@code bp[dst + p*NR + j] = alpha * b[src + j*ldb + p]}. The loop walks
     * each source row contiguously.
     */
    default void packColumnsB(int kc, float alpha, float[] b, int src, int ldb, float[] bp, int dst) {
        int nr = nr();
        for (int j = 0; j < nr; j++) {
            int s = src + j * ldb;
            for (int p = 0; p < kc; p++) {
                bp[dst + j + p * nr] = alpha * b[s + p];
            }
        }
    }

    /**
     * Packs one full {@code MR}-row sliver of an A stored as is: {@code MR} source rows of
     * {@code kc} values, {@code ap[dst + p*MR + r] = a[src + r*lda + p]}.
     */
    default void packRowsA(int kc, float[] a, int src, int lda, float[] ap, int dst) {
        int mr = mr();
        for (int r = 0; r < mr; r++) {
            int s = src + r * lda;
            for (int p = 0; p < kc; p++) {
                ap[dst + r + p * mr] = a[s + p];
            }
        }
    }

    /**
     * Packs one full {@code MR}-row sliver of an A that is stored transposed: {@code kc} steps of
     * {@code MR} contiguous values, {@code ap[dst + p*MR + r] = a[src + p*lda + r]}.
     */
    default void packColumnsA(int kc, float[] a, int src, int lda, float[] ap, int dst) {
        int mr = mr();
        for (int p = 0; p < kc; p++) {
            int s = src + p * lda;
            int d = dst + p * mr;
            for (int r = 0; r < mr; r++) {
                ap[d + r] = a[s + r];
            }
        }
    }

    /**
     * The kernel for the paths that read A in place ({@link #tileRowsA}, {@link #tileColumnsA}): this
     * one, unless a kernel packs A always and hands those paths to a narrower kernel with the same
     * {@code NR} (so that both read the same packed B).
     */
    default MicroKernel inPlaceKernel() {
        return this;
    }

    /** Whether {@link #tileRowsA} is implemented, so that {@link Sgemm} may skip packing a row-major A. */
    default boolean readsAInPlace() {
        return false;
    }

    /**
     * One full tile with A read in place from row-major storage: element {@code (r, p)} of the sliver
     * at {@code a[aOff + r*lda + p]}. B is packed as for {@link #tile}.
     */
    default void tileRowsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc,
            float beta) {
        throw new UnsupportedOperationException("this micro-kernel reads only packed A");
    }

    /**
     * One full tile with A read in place from a row-major matrix that is stored transposed: element
     * {@code (r, p)} of the sliver at {@code a[aOff + p*lda + r]}. Supported when {@link #readsAInPlace} is.
     */
    default void tileColumnsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc,
            float beta) {
        throw new UnsupportedOperationException("this micro-kernel reads only packed A");
    }
}
