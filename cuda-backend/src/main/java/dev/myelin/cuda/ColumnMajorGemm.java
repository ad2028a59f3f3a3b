package dev.myelin.cuda;

/**
 * The column-major BLAS call that computes a row-major GEMM without copying any transpose.
 *
 * <p>A row-major {@code [r x c]} buffer, read column-major, is the {@code [c x r]} transpose with a
 * leading dimension of {@code c}. So the row-major {@code C = op(A) op(B)} ({@code [m x n]}) is the
 * column-major {@code C^T = op(B)^T op(A)^T} ({@code [n x m]}, {@code ldc = n}): the call passes B's
 * buffer first and A's second, swaps m and n, keeps each operand's transpose flag (B's buffer read
 * column-major already is {@code B^T}, so {@code op(B)^T} needs a transpose exactly when
 * {@code op(B)} does), and every leading dimension is the row length of the row-major buffer.
 *
 * @param transFirst  whether the call's first operand (B's buffer) is transposed ({@code CUBLAS_OP_T})
 * @param transSecond whether the call's second operand (A's buffer) is transposed
 * @param m           rows of the column-major result: n of the row-major request
 * @param n           columns of the column-major result: m of the row-major request
 * @param k           the shared dimension
 * @param ldFirst     leading dimension of the first operand: B's row length (its cols)
 * @param ldSecond    leading dimension of the second operand: A's row length (its cols)
 * @param ldc         leading dimension of C: C's row length (n of the request)
 */
record ColumnMajorGemm(boolean transFirst, boolean transSecond, int m, int n, int k, int ldFirst,
        int ldSecond, int ldc) {

    /**
     * The call for the row-major {@code C = op(A) op(B)} with {@code A [aRows x aCols]} and
     * {@code B [bRows x bCols]}.
     */
    public static ColumnMajorGemm forRowMajor(boolean transA, boolean transB, int aRows, int aCols, int bRows,
            int bCols) {
        int m = transA ? aCols : aRows;
        int k = transA ? aRows : aCols;
        int kb = transB ? bCols : bRows;
        int n = transB ? bRows : bCols;
        if (k != kb) {
            throw new IllegalArgumentException("gemm: op(a) is [" + m + " x " + k + "] and op(b) is [" + kb + " x "
                    + n + "]: inner dimensions differ");
        }
        return new ColumnMajorGemm(transB, transA, n, m, k, bCols, aCols, n);
    }
}
