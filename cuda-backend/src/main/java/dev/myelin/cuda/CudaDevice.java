package dev.myelin.cuda;

import java.util.Locale;

/**
 * A CUDA device as the driver describes it.
 *
 * @param ordinal         the driver's device number
 * @param name            the product name
 * @param major           compute capability, major
 * @param minor           compute capability, minor
 * @param memoryBytes     total device memory
 * @param multiprocessors streaming multiprocessors
 * @param memoryPools     whether stream-ordered allocation ({@code cuMemAllocAsync}) is supported
 */
record CudaDevice(int ordinal, String name, int major, int minor, long memoryBytes, int multiprocessors,
        boolean memoryPools) {

    /** "NVIDIA H100 80GB HBM3 (device 0, compute capability 9.0, 79.1 GiB, 132 SMs)". */
    public String describe() {
        return String.format(Locale.ROOT, "%s (device %d, compute capability %d.%d, %.1f GiB, %d SMs)", name,
                ordinal, major, minor, memoryBytes / (1024.0 * 1024 * 1024), multiprocessors);
    }
}
