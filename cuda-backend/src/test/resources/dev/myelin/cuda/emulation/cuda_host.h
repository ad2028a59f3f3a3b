/*
 * Just enough of CUDA C for the system C++ compiler to build the backend's kernel sources for the
 * host, where the tests run them (HostEmulatedRuntime): every thread of a block is a host thread,
 * blocks run one after another. Execution qualifiers vanish; __shared__ arrays become statics,
 * shared by the threads of the block that is running; __syncthreads() is a barrier across the
 * block's threads; blockIdx and threadIdx are per thread; the _rn intrinsics are plain IEEE float
 * arithmetic, which is what their suffix means.
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
extern thread_local cuda_host_dim3 blockIdx, threadIdx;
extern cuda_host_dim3 blockDim, gridDim;
void cuda_host_syncthreads(void);
}

inline void __syncthreads() { cuda_host_syncthreads(); }

inline float __int_as_float(int i) {
    float f;
    memcpy(&f, &i, sizeof f);
    return f;
}

inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
