package dev.myelin.cuda;

/**
 * The one cuBLAS routine the backend needs, column-major SGEMM on the backend's stream, behind
 * whichever binding can load the installed cuBLAS: {@link JCublasBlas} (cuBLAS 12) or
 * {@link ForeignBlas} (any cuBLAS, through {@code java.lang.foreign}).
 */
interface Blas extends AutoCloseable {

    /**
     * Enqueues {@code C = alpha op(first) op(second) + beta C} as laid out by {@code call}; with
     * {@code beta == 0} cuBLAS does not read C.
     */
    void sgemm(ColumnMajorGemm call, float alpha, DeviceBuffer first, DeviceBuffer second, float beta,
            DeviceBuffer c);

    /** The library and binding, e.g. "cuBLAS 13.0.2 via java.lang.foreign". */
    String description();

    @Override
    void close();

    /** cuBLAS's {@code cublasOperation_t}: {@code CUBLAS_OP_N} = 0, {@code CUBLAS_OP_T} = 1. */
    static int operation(boolean transpose) {
        return transpose ? 1 : 0;
    }

    /** A readable {@code cublasStatus_t}. */
    static String status(int status) {
        String name = switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cublasStatus_t";
        };
        return name + " (" + status + ")";
    }

    /** Throws when a cuBLAS call did not succeed. */
    static void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(call + " failed: " + status(status));
        }
    }
}
