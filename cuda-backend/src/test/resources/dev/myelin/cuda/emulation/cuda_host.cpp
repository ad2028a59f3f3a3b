/* The launch geometry the emulated kernels read, set by the test before each thread runs. */
#include "cuda_host.h"

extern "C" {
cuda_host_dim3 blockIdx, threadIdx, blockDim, gridDim;

void cuda_host_geometry(unsigned grid_x, unsigned block_x, unsigned block_y) {
    gridDim = {grid_x, 1, 1};
    blockDim = {block_x, block_y, 1};
}

void cuda_host_thread(unsigned block_x, unsigned thread_x, unsigned thread_y) {
    blockIdx = {block_x, 0, 0};
    threadIdx = {thread_x, thread_y, 0};
}
}
