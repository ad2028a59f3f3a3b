package dev.myelin.cpu;

/**
 * Copies blocks of op(A) and alpha op(B) into the sliver layouts that a {@link MicroKernel} reads
 * ({@code MR} values of one A column per step, {@code NR} values of one B row per step), zero-padding
 * the last partial sliver. Transposes are resolved here, so {@link Sgemm} never copies a whole matrix;
 * the full slivers go to the kernel's own copies, which may be vectorised.
 */
final class PanelPacker {

    private final MicroKernel kernel;
    private final int mr;
    private final int nr;

    PanelPacker(MicroKernel kernel) {
        this.kernel = kernel;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
    }

    /** Packs rows {@code [i0, i0+mc)}, columns {@code [p0, p0+kc)} of op(A) into MR-row slivers. */
    void packA(boolean transA, float[] a, int lda, int i0, int mc, int p0, int kc, float[] ap) {
        for (int s = 0; s < mc; s += mr) {
            int base = s * kc;
            int rows = Math.min(mr, mc - s);
            if (transA && rows == mr) {
                kernel.packColumnsA(kc, a, p0 * lda + i0 + s, lda, ap, base);
            } else if (transA) {
                // op(A)[i][p] = A[p][i]: the MR values of one step are contiguous in A.
                for (int p = 0; p < kc; p++) {
                    int src = (p0 + p) * lda + i0 + s;
                    int dst = base + p * mr;
                    for (int r = 0; r < rows; r++) {
                        ap[dst + r] = a[src + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        ap[dst + r] = 0f;
                    }
                }
            } else if (rows == mr) {
                kernel.packRowsA(kc, a, (i0 + s) * lda + p0, lda, ap, base);
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = (i0 + s + r) * lda + p0;
                    int dst = base + r;
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * mr] = a[src + p];
                    }
                }
                for (int r = rows; r < mr; r++) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + r + p * mr] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs rows {@code [p0, p0+kc)}, columns {@code [j0, j0+nc)} of {@code alpha op(B)} into NR-column
     * slivers; scaling here, once per element of B, spares the micro-kernel an alpha.
     */
    void packB(boolean transB, float alpha, float[] b, int ldb, int p0, int kc, int j0, int nc, float[] bp) {
        for (int t = 0; t < nc; t += nr) {
            int base = t * kc;
            int cols = Math.min(nr, nc - t);
            if (transB && cols == nr) {
                kernel.packColumnsB(kc, alpha, b, (j0 + t) * ldb + p0, ldb, bp, base);
            } else if (transB) {
                // The last, partial sliver: op(B)[p][j] = B[j][p], each source row walked contiguously.
                for (int j = 0; j < cols; j++) {
                    int src = (j0 + t + j) * ldb + p0;
                    int dst = base + j;
                    for (int p = 0; p < kc; p++) {
                        bp[dst + p * nr] = alpha * b[src + p];
                    }
                }
                for (int j = cols; j < nr; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[base + j + p * nr] = 0f;
                    }
                }
            } else if (cols == nr) {
                kernel.packRowsB(kc, alpha, b, p0 * ldb + j0 + t, ldb, bp, base);
            } else {
                // The last, partial sliver: the full ones went to the micro-kernel's copy above.
                for (int p = 0; p < kc; p++) {
                    int src = (p0 + p) * ldb + j0 + t;
                    int dst = base + p * nr;
                    for (int j = 0; j < cols; j++) {
                        bp[dst + j] = alpha * b[src + j];
                    }
                    for (int j = cols; j < nr; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            }
        }
    }
}
