/*
 * Just enough of CUDA C for the system C++ compiler to build the backend's kernel sources for the
 * host, where the tests run them one thread at a time (HostEmulatedRuntime). Execution qualifiers
 * vanish, __shared__ arrays become function statics, __syncthreads() does nothing (threads that
 * cooperate through shared memory are run as one-thread blocks), and the intrinsics map to plain
 * IEEE float arithmetic, which is what their _rn suffix means.
 */
#include <math.h>
#include <string.h>

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __restrict__ __restrict

struct cuda_host_dim3 {
    unsigned x, y, z;
};

extern "C" {
extern cuda_host_dim3 blockIdx, threadIdx, blockDim, gridDim;
}

inline void __syncthreads() {}

inline float __int_as_float(int i) {
    float f;
    memcpy(&f, &i, sizeof f);
    return f;
}

inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
