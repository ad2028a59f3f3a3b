/* The launch geometry and the block barrier of the emulated kernels, driven by the test. */
#include "cuda_host.h"

#include <pthread.h>

static pthread_barrier_t block_barrier;
static bool barrier_ready = false;

extern "C" {
thread_local cuda_host_dim3 blockIdx, threadIdx;
cuda_host_dim3 blockDim, gridDim;

/* Before a launch: the grid and block shape, and how many threads the barrier waits for
   (block_x * block_y when they run concurrently, 1 when they run one after another). */
int cuda_host_geometry(unsigned grid_x, unsigned block_x, unsigned block_y, unsigned barrier_threads) {
    gridDim = {grid_x, 1, 1};
    blockDim = {block_x, block_y, 1};
    if (barrier_ready) {
        pthread_barrier_destroy(&block_barrier);
    }
    barrier_ready = pthread_barrier_init(&block_barrier, nullptr, barrier_threads) == 0;
    return barrier_ready ? 0 : -1;
}

/* On the calling thread, before it runs the kernel: which thread of which block it is. */
void cuda_host_thread(unsigned block_x, unsigned thread_x, unsigned thread_y) {
    blockIdx = {block_x, 0, 0};
    threadIdx = {thread_x, thread_y, 0};
}

void cuda_host_syncthreads(void) {
    pthread_barrier_wait(&block_barrier);
}
}
