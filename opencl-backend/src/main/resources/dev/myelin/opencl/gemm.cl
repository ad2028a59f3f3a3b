// SGEMM, row-major: C[M x N] = alpha * op(A)[M x K] * op(B)[K x N] + beta * C. beta == 0 never reads C.
// Two kernels, chosen per device type by Sgemm.java (which sets the -D sizes from the device's limits):
//
// gemm_rb_*   register blocking without local memory, for CPU devices. Each work-item keeps an
//             MR x NR block of C in registers (MR rows of NV vectors of the preferred float width
//             VW, e.g. 4 x 2 float8 = 8 AVX2 registers) and walks K once: per step NV vector loads
//             of B's row and MR broadcasts of A. On a CPU device local memory is only
//             global memory (PoCL emulates it) and the barriers of a tiled kernel cost more than they
//             save; the caches do the tiling. B must not be transposed (the host transposes it into
//             scratch first, O(K N) work against O(M N K)); A may be (AT = 1).
//
// gemm_tiled_* the classic local-memory tiling for GPUs: a work-group computes a TSM x TSN tile of C,
//             staging TSK-deep slices of op(A) and op(B) in local memory; each work-item accumulates
//             WPTM x WPTN outputs, strided by the work-group's extent so that local reads do not
//             conflict and global stores coalesce. Every transpose case loads with its own index order
//             so that consecutive work-items read consecutive addresses.

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#ifdef MR
// NR = NV vectors of VW floats: vectors of the device's preferred width, never wider (a float16 on an
// AVX2 CPU is passed to the builtins through memory).
#define NR (NV * VW)
#define VT CAT(float, VW)
#define VLOAD CAT(vload, VW)
#define VSTORE CAT(vstore, VW)

// Work-group order: a 1-D range of groups, each RB_GROUP work-items stacked along M (one NR-wide
// column tile, RB_GROUP * MR rows). Groups are visited in super-blocks of `sblock` row groups: all
// column tiles of one super-block before the next, so its rows of A (sized by the host to stay in a
// core's L2) are reused across the whole width of C, and each K x NR panel of B is fetched once per
// super-block instead of once per row group.
#define GEMM_RB(NAME, AAT)                                                                           \
__kernel void NAME(const int M, const int N, const int K, const float alpha,                        \
        __global const float *A, const int lda, __global const float *B, const int ldb,              \
        const float beta, __global float *C, const int ldc, const int sblock) {                      \
    const int col_tiles = (N + NR - 1) / NR;                                                         \
    const int row_groups = (M + MR * RB_GROUP - 1) / (MR * RB_GROUP);                                \
    const int g = get_group_id(0);                                                                   \
    const int sb = g / (sblock * col_tiles);                                                         \
    const int s = min(sblock, row_groups - sb * sblock);                                             \
    const int rem = g - sb * sblock * col_tiles;                                                     \
    const int i0 = ((sb * sblock + rem % s) * RB_GROUP + get_local_id(0)) * MR;                      \
    const int j0 = (rem / s) * NR;                                                                   \
    if (i0 >= M || j0 >= N) return;                                                                  \
    if (j0 + NR <= N) {                                                                              \
        /* Rows past M (the last row tile) repeat row M-1 and are not stored: full speed, no guards. */ \
        int row[MR];                                                                                 \
        _Pragma("unroll")                                                                            \
        for (int r = 0; r < MR; r++) row[r] = min(i0 + r, M - 1);                                    \
        VT acc[MR][NV];                                                                              \
        _Pragma("unroll")                                                                            \
        for (int r = 0; r < MR; r++)                                                                 \
            _Pragma("unroll")                                                                        \
            for (int v = 0; v < NV; v++) acc[r][v] = (VT) (0.0f);                                    \
        __global const float *b = B + j0;                                                            \
        for (int p = 0; p < K; p++) {                                                                \
            VT bv[NV];                                                                               \
            _Pragma("unroll")                                                                        \
            for (int v = 0; v < NV; v++) bv[v] = VLOAD(v, b);                                        \
            b += ldb;                                                                                \
            _Pragma("unroll")                                                                        \
            for (int r = 0; r < MR; r++) {                                                           \
                const VT av = (VT) (AAT(row[r], p));                                                 \
                _Pragma("unroll")                                                                    \
                for (int v = 0; v < NV; v++) acc[r][v] = fma(av, bv[v], acc[r][v]);                  \
            }                                                                                        \
        }                                                                                            \
        _Pragma("unroll")                                                                            \
        for (int r = 0; r < MR; r++) {                                                               \
            if (i0 + r >= M) break;                                                                  \
            __global float *c = C + (i0 + r) * ldc + j0;                                             \
            _Pragma("unroll")                                                                        \
            for (int v = 0; v < NV; v++) {                                                           \
                VT o = alpha * acc[r][v];                                                            \
                if (beta != 0.0f) o = fma((VT) (beta), VLOAD(v, c), o);                              \
                VSTORE(o, v, c);                                                                     \
            }                                                                                        \
        }                                                                                            \
    } else {                                                                                         \
        const int mr = min(MR, M - i0);                                                              \
        const int nr = min(NR, N - j0);                                                              \
        float acc[MR][NR];                                                                           \
        for (int r = 0; r < MR; r++)                                                                 \
            for (int q = 0; q < NR; q++) acc[r][q] = 0.0f;                                           \
        for (int p = 0; p < K; p++) {                                                                \
            for (int r = 0; r < mr; r++) {                                                           \
                const float a = AAT(i0 + r, p);                                                      \
                for (int q = 0; q < nr; q++) acc[r][q] = fma(a, B[p * ldb + j0 + q], acc[r][q]);     \
            }                                                                                        \
        }                                                                                            \
        for (int r = 0; r < mr; r++) {                                                               \
            for (int q = 0; q < nr; q++) {                                                           \
                __global float *c = C + (i0 + r) * ldc + j0 + q;                                     \
                *c = beta == 0.0f ? alpha * acc[r][q] : fma(beta, *c, alpha * acc[r][q]);            \
            }                                                                                        \
        }                                                                                            \
    }                                                                                                \
}

#define A_N(i, p) A[(i) * lda + (p)]
#define A_T(i, p) A[(p) * lda + (i)]
GEMM_RB(gemm_rb_n, A_N)
GEMM_RB(gemm_rb_t, A_T)
#endif

#ifdef TSM
#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)
#define THREADS (RTSM * RTSN)

// Loads op(X)'s TSK-deep slice into local memory, zero beyond the matrix edge. LOAD_A / LOAD_B pick
// the index order in which consecutive work-items touch consecutive addresses of X.
#define LOAD_A_N                                                                                     \
    for (int l = tid; l < TSM * TSK; l += THREADS) {                                                 \
        const int kk = l % TSK, mm = l / TSK, gm = m0 + mm, gk = k0 + kk;                            \
        As[kk][mm] = gm < M && gk < K ? A[gm * lda + gk] : 0.0f;                                     \
    }
#define LOAD_A_T                                                                                     \
    for (int l = tid; l < TSM * TSK; l += THREADS) {                                                 \
        const int mm = l % TSM, kk = l / TSM, gm = m0 + mm, gk = k0 + kk;                            \
        As[kk][mm] = gm < M && gk < K ? A[gk * lda + gm] : 0.0f;                                     \
    }
#define LOAD_B_N                                                                                     \
    for (int l = tid; l < TSN * TSK; l += THREADS) {                                                 \
        const int nn = l % TSN, kk = l / TSN, gn = n0 + nn, gk = k0 + kk;                            \
        Bs[kk][nn] = gn < N && gk < K ? B[gk * ldb + gn] : 0.0f;                                     \
    }
#define LOAD_B_T                                                                                     \
    for (int l = tid; l < TSN * TSK; l += THREADS) {                                                 \
        const int kk = l % TSK, nn = l / TSK, gn = n0 + nn, gk = k0 + kk;                            \
        Bs[kk][nn] = gn < N && gk < K ? B[gn * ldb + gk] : 0.0f;                                     \
    }

#define GEMM_TILED(NAME, LOAD_A, LOAD_B)                                                             \
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))                                        \
void NAME(const int M, const int N, const int K, const float alpha,                                  \
        __global const float *A, const int lda, __global const float *B, const int ldb,              \
        const float beta, __global float *C, const int ldc) {                                        \
    __local float As[TSK][TSM + 1];                                                                  \
    __local float Bs[TSK][TSN + 1];                                                                  \
    const int tn = get_local_id(0), tm = get_local_id(1);                                            \
    const int tid = tm * RTSN + tn;                                                                  \
    const int n0 = get_group_id(0) * TSN, m0 = get_group_id(1) * TSM;                                \
    float acc[WPTM][WPTN];                                                                           \
    for (int wm = 0; wm < WPTM; wm++)                                                                \
        for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = 0.0f;                                        \
    for (int k0 = 0; k0 < K; k0 += TSK) {                                                            \
        LOAD_A                                                                                       \
        LOAD_B                                                                                       \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                \
        for (int k = 0; k < TSK; k++) {                                                              \
            float breg[WPTN];                                                                        \
            for (int wn = 0; wn < WPTN; wn++) breg[wn] = Bs[k][tn + wn * RTSN];                      \
            for (int wm = 0; wm < WPTM; wm++) {                                                      \
                const float a = As[k][tm + wm * RTSM];                                               \
                for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = fma(a, breg[wn], acc[wm][wn]);       \
            }                                                                                        \
        }                                                                                            \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                \
    }                                                                                                \
    for (int wm = 0; wm < WPTM; wm++) {                                                              \
        const int gm = m0 + tm + wm * RTSM;                                                          \
        for (int wn = 0; wn < WPTN; wn++) {                                                          \
            const int gn = n0 + tn + wn * RTSN;                                                      \
            if (gm < M && gn < N) {                                                                  \
                __global float *c = C + gm * ldc + gn;                                               \
                *c = beta == 0.0f ? alpha * acc[wm][wn] : fma(beta, *c, alpha * acc[wm][wn]);        \
            }                                                                                        \
        }                                                                                            \
    }                                                                                                \
}

GEMM_TILED(gemm_tiled_nn, LOAD_A_N, LOAD_B_N)
GEMM_TILED(gemm_tiled_nt, LOAD_A_N, LOAD_B_T)
GEMM_TILED(gemm_tiled_tn, LOAD_A_T, LOAD_B_N)
GEMM_TILED(gemm_tiled_tt, LOAD_A_T, LOAD_B_T)
#endif
