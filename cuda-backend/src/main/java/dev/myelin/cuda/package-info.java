/**
 * The CUDA backend ({@code cuda}): tensors in device memory, GEMM by cuBLAS, every other operation
 * by the backend's own CUDA C kernels ({@code kernels/*.cu} resources) compiled at run time by NVRTC
 * for the device's architecture.
 *
 * <p>How the pieces fit:
 * <ul>
 * <li>{@link dev.myelin.cuda.CudaBackendProvider} probes without loading anything heavy:
 * {@link dev.myelin.cuda.SystemLibraryLookup} finds the driver ({@code libcuda.so.1}) and the cuBLAS
 * and NVRTC of CUDA 12 or 13, {@link dev.myelin.cuda.CudaProbe} asks the driver for its devices and
 * decides, naming everything that is missing.</li>
 * <li>The driver is reached through JCuda's driver binding, which needs only {@code libcuda.so.1}.
 * cuBLAS and NVRTC are reached through JCuda's bindings where CUDA 12's libraries are installed
 * (JCublas and JNvrtc 12.6 link {@code .so.12} by versioned symbols) and through
 * {@code java.lang.foreign} otherwise (CUDA 13's {@code .so.13}); the system property
 * {@code myelin.cuda.binding=foreign} forces the latter.</li>
 * <li>{@link dev.myelin.cuda.CudaBackend} maps each SPI operation to a kernel launch;
 * {@code JCudaRuntime} runs launches, copies and cuBLAS in order on one stream of the device's
 * primary context. Row-major GEMM is cuBLAS's column-major GEMM with the operands swapped
 * ({@link dev.myelin.cuda.ColumnMajorGemm}).</li>
 * </ul>
 *
 * <p>System properties: {@code myelin.cuda.device} (device number, default 0),
 * {@code myelin.cuda.libraryPath} (directories searched first for the CUDA libraries),
 * {@code myelin.cuda.kernelCache} (a directory where compiled kernels are kept across runs),
 * {@code myelin.cuda.binding}.
 */
package dev.myelin.cuda;
