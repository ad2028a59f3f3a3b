package dev.myelin.cuda;

/**
 * What {@link CudaBackend}'s operations need from the device: memory, copies, kernel launches on
 * one in-order queue, and GEMM. {@link JCudaRuntime} is the real one (the CUDA driver through
 * JCuda, cuBLAS, NVRTC); the backend's tests also run the operation layer and the kernel sources
 * on a host stand-in, which is why this seam exists.
 */
interface DeviceRuntime extends AutoCloseable {

    /** {@code bytes} of device memory; contents undefined. */
    DeviceBuffer allocate(long bytes);

    /** Returns memory from {@link #allocate}, after the work already queued on it. */
    void free(DeviceBuffer buffer);

    /** Enqueues the copy of {@code count} floats of {@code src[offset..]} to {@code dst}. */
    void upload(float[] src, int offset, int count, DeviceBuffer dst);

    /** Copies {@code count} floats of {@code src} into {@code dst[offset..]}, after all queued work. */
    void download(DeviceBuffer src, float[] dst, int offset, int count);

    /** Enqueues setting {@code count} 32-bit words of {@code dst} to {@code bits}. */
    void fill32(DeviceBuffer dst, int bits, int count);

    /**
     * Enqueues kernel {@code name} of {@code source} on a grid of {@code gridX} blocks of
     * {@code blockX x blockY} threads. Arguments are {@link DeviceBuffer}s (device pointers, null
     * for an absent one), {@link Integer}s, {@link Float}s and {@link Long}s, in the kernel's order.
     */
    void launch(KernelSource source, String name, int gridX, int blockX, int blockY, Object... args);

    /** Enqueues the column-major SGEMM {@code call} (cuBLAS's semantics; beta == 0 does not read C). */
    void sgemm(ColumnMajorGemm call, float alpha, DeviceBuffer first, DeviceBuffer second, float beta, DeviceBuffer c);

    /** Waits for all queued work. */
    void synchronize();

    /** Blocks for element-wise kernels to spread over (more come from grid-stride loops). */
    int maxBlocks();

    /** The device and libraries, in words. */
    String describe();

    /** Frees the runtime's own resources (memory from {@link #allocate} must be freed first). */
    @Override
    void close();
}
