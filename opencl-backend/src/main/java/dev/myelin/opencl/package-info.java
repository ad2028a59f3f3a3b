/**
 * The {@code opencl} backend: every operation of the Backend SPI as OpenCL C 1.2 kernels, run through
 * JOCL on any OpenCL device (a GPU driver, or PoCL on the CPU).
 *
 * <pre>{@code
 * try (Backend cl = Backends.open("opencl")) {        // or -Dmyelin.backend=opencl
 *     Tensor a = cl.tensor(128, 784, x);              // upload
 *     Tensor w = cl.tensor(784, 256, weights);
 *     Tensor y = cl.tensor(128, 256);
 *     cl.gemm(false, false, 1f, a, w, 0f, y);         // enqueued, returns at once
 *     float[] out = y.toArray();                      // waits, downloads
 * }
 * }</pre>
 *
 * <p>Classes: {@link dev.myelin.opencl.OpenClProvider} (service entry), {@link dev.myelin.opencl.OpenClProbe}
 * (device choice and the reasons when none), {@link dev.myelin.opencl.OpenClBackend} (context, queue,
 * kernels), {@code Sgemm} (which GEMM kernel and tile for the device), {@code ProgramCache} (builds the
 * {@code .cl} resources once per context). Kernels: {@code elementwise.cl}, {@code rows.cl},
 * {@code optimizers.cl}, {@code gemm.cl}.
 *
 * <p>System properties: {@code myelin.opencl.device} (device index or name substring),
 * {@code myelin.opencl.gemm} ({@code blocked}, {@code tiled} or {@code auto}). Needs an OpenCL ICD loader
 * ({@code libOpenCL.so.1}, Debian {@code ocl-icd-libopencl1}) and a driver (e.g. {@code pocl-opencl-icd}).
 */
package dev.myelin.opencl;
