/*
 * A host-memory stand-in for the five cuBLAS entry points ForeignBlas binds, with cuBLAS's
 * prototypes (cublas_api.h) and its column-major SGEMM semantics, including its argument
 * validation (cublasStatus_t 7, CUBLAS_STATUS_INVALID_VALUE) and beta == 0 not reading C.
 * Tests build it with the C compiler to check the foreign-function binding end to end on a
 * machine without a GPU: argument order, types, the handle and the stream handle.
 */
#include <stdlib.h>

typedef struct {
    void *stream;
} stand_in_handle;

static void *last_stream;

int cublasCreate_v2(void **handle) {
    *handle = calloc(1, sizeof(stand_in_handle));
    return *handle ? 0 : 3;
}

int cublasSetStream_v2(void *handle, void *stream) {
    ((stand_in_handle *)handle)->stream = stream;
    last_stream = stream;
    return 0;
}

int cublasGetVersion_v2(void *handle, int *version) {
    (void)handle;
    *version = 130100;
    return 0;
}

static int imax(int a, int b) { return a > b ? a : b; }

int cublasSgemm_v2(void *handle, int transa, int transb, int m, int n, int k, const float *alpha, const float *A,
                   int lda, const float *B, int ldb, const float *beta, float *C, int ldc) {
    (void)handle;
    if (m < 0 || n < 0 || k < 0 || (transa != 0 && transa != 1) || (transb != 0 && transb != 1)
        || lda < imax(1, transa ? k : m) || ldb < imax(1, transb ? n : k) || ldc < imax(1, m)) {
        return 7;
    }
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int l = 0; l < k; l++) {
                double a = transa ? A[l + (long)i * lda] : A[i + (long)l * lda];
                double b = transb ? B[j + (long)l * ldb] : B[l + (long)j * ldb];
                s += a * b;
            }
            float *c = &C[i + (long)j * ldc];
            *c = *beta == 0.0f ? (float)(*alpha * s) : (float)(*alpha * s + *beta * *c);
        }
    }
    return 0;
}

int cublasDestroy_v2(void *handle) {
    free(handle);
    return 0;
}

/* Not part of cuBLAS: lets the test see which stream handle arrived. */
void *stand_in_last_stream(void) { return last_stream; }
