package dev.myelin.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA device through JCuda's driver binding (which needs only {@code libcuda.so.1}), with
 * cuBLAS and NVRTC through the bindings the probe chose.
 *
 * <p>Everything runs in order on one non-blocking stream of the device's primary context (the
 * context the CUDA runtime inside cuBLAS also uses): uploads from pinned buffers, kernels, cuBLAS
 * and downloads. Only downloads and {@link #synchronize()} wait. Where the device supports
 * stream-ordered allocation, memory is allocated and freed on that stream from the driver's pool,
 * so freeing a temporary never stalls the queue. The context is bound to the calling thread at
 * each call, so the backend may move between threads (one at a time).
 */
final class JCudaRuntime implements DeviceRuntime {

    private final CudaPlan plan;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final boolean pooled;
    private final int maxBlocks;
    private boolean contextRetained;
    private boolean streamCreated;
    private HostStaging staging;
    private Blas blas;
    private RuntimeCompiler compiler;
    private KernelModules kernels;
    private String description;

    JCudaRuntime(CudaPlan plan) {
        this.plan = plan;
        CudaDevice d = plan.device();
        this.pooled = d.memoryPools();
        // Enough blocks to fill every multiprocessor several times; grid-stride loops do the rest.
        this.maxBlocks = Math.max(1, d.multiprocessors()) * 32;
        try {
            CudaCalls.check(JCudaDriver.cuInit(0), "cuInit");
            CudaCalls.check(JCudaDriver.cuDeviceGet(device, d.ordinal()), "cuDeviceGet");
            CudaCalls.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
            contextRetained = true;
            bind();
            CudaCalls.check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            streamCreated = true;
            staging = new HostStaging(stream);
            blas = openBlas(plan.blas());
            compiler = openCompiler(plan.compiler());
            kernels = new KernelModules(compiler, d, KernelCache.fromSystemProperty());
            description = d.describe() + "; driver CUDA " + CudaVersions.cuda(plan.driverVersion()) + "; "
                    + blas.description() + "; " + compiler.description() + ", kernels for "
                    + kernels.target().option().substring("--gpu-architecture=".length());
        } catch (RuntimeException | LinkageError e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static boolean jcudaAllowed() {
        return !"foreign".equalsIgnoreCase(System.getProperty(CudaBackend.BINDING_PROPERTY, "").trim());
    }

    /** cuBLAS 12 through JCublas; if JCublas cannot load, the same library through java.lang.foreign. */
    private Blas openBlas(LibraryBinding b) {
        if (b.jcuda() && jcudaAllowed()) {
            try {
                // JCublas's native part needs libcublas.so.12 by soname; loading the found files
                // first satisfies that even when their directory is not on the loader's path.
                b.companion().ifPresent(p -> System.load(p.toString()));
                System.load(b.path().toString());
                return new JCublasBlas(stream);
            } catch (LinkageError | RuntimeException e) {
                // fall through to the foreign binding, which needs no JNI library
            }
        }
        return new ForeignBlas(b.path(), b.companion(), NativeHandles.handle(stream));
    }

    /** NVRTC 12 through JNvrtc; if JNvrtc cannot load, the same library through java.lang.foreign. */
    private static RuntimeCompiler openCompiler(LibraryBinding b) {
        if (b.jcuda() && jcudaAllowed()) {
            try {
                System.load(b.path().toString());
                return new JNvrtcCompiler();
            } catch (LinkageError | RuntimeException e) {
                // fall through
            }
        }
        return new ForeignNvrtc(b.path());
    }

    private void bind() {
        CudaCalls.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        bind();
        CUdeviceptr p = new CUdeviceptr();
        int result = pooled ? JCudaDriver.cuMemAllocAsync(p, bytes, stream) : JCudaDriver.cuMemAlloc(p, bytes);
        if (result != 0) {
            String message = (pooled ? "cuMemAllocAsync" : "cuMemAlloc") + " of " + bytes + " bytes failed: "
                    + CudaCalls.error(result) + " on " + plan.device().describe();
            throw result == CUresult.CUDA_ERROR_OUT_OF_MEMORY ? new CudaException.OutOfMemory(message)
                    : new CudaException(message);
        }
        return DeviceBuffer.of(p);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        bind();
        if (pooled) {
            CudaCalls.check(JCudaDriver.cuMemFreeAsync(buffer.pointer(), stream), "cuMemFreeAsync");
        } else {
            // Queued kernels may still use it: cuMemFree must not overtake them.
            CudaCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
            CudaCalls.check(JCudaDriver.cuMemFree(buffer.pointer()), "cuMemFree");
        }
    }

    @Override
    public void upload(float[] src, int offset, int count, DeviceBuffer dst) {
        bind();
        staging.upload(src, offset, count, dst.pointer());
    }

    @Override
    public void download(DeviceBuffer src, float[] dst, int offset, int count) {
        bind();
        staging.download(src.pointer(), dst, offset, count);
    }

    @Override
    public void fill32(DeviceBuffer dst, int bits, int count) {
        bind();
        CudaCalls.check(JCudaDriver.cuMemsetD32Async(dst.pointer(), bits, count, stream), "cuMemsetD32Async");
    }

    @Override
    public void launch(KernelSource source, String name, int gridX, int blockX, int blockY, Object... args) {
        bind();
        CUfunction f = kernels.function(source, name);
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = parameter(args[i]);
        }
        CudaCalls.check(JCudaDriver.cuLaunchKernel(f, gridX, 1, 1, blockX, blockY, 1, 0, stream, Pointer.to(params),
                null), "cuLaunchKernel(" + name + ")");
    }

    /** A pointer to one kernel argument's value, as cuLaunchKernel's parameter array holds it. */
    private static Pointer parameter(Object arg) {
        return switch (arg) {
            case null -> Pointer.to(new CUdeviceptr());  // a null device pointer
            case DeviceBuffer b -> Pointer.to(b.pointer());
            case Integer i -> Pointer.to(new int[] {i});
            case Float f -> Pointer.to(new float[] {f});
            case Long l -> Pointer.to(new long[] {l});
            default -> throw new IllegalArgumentException("kernel argument of unsupported type " + arg.getClass());
        };
    }

    @Override
    public void sgemm(ColumnMajorGemm call, float alpha, DeviceBuffer first, DeviceBuffer second, float beta,
            DeviceBuffer c) {
        bind();
        blas.sgemm(call, alpha, first, second, beta, c);
    }

    @Override
    public void synchronize() {
        bind();
        CudaCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public int maxBlocks() {
        return maxBlocks;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Frees whatever has been created, in reverse order; also undoes a failed start. */
    @Override
    public void close() {
        List<Throwable> errors = new ArrayList<>();
        if (contextRetained) {
            run(errors, this::bind);
        }
        if (streamCreated) {
            run(errors, () -> CudaCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize"));
        }
        if (kernels != null) {
            run(errors, kernels::close);
            kernels = null;
        }
        if (blas != null) {
            run(errors, blas::close);
            blas = null;
        }
        if (staging != null) {
            run(errors, staging::close);
            staging = null;
        }
        if (streamCreated) {
            run(errors, () -> CudaCalls.check(JCudaDriver.cuStreamDestroy(stream), "cuStreamDestroy"));
            streamCreated = false;
        }
        if (contextRetained) {
            run(errors, () -> CudaCalls.check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease"));
            contextRetained = false;
        }
        if (!errors.isEmpty()) {
            CudaException e = new CudaException("closing the CUDA device: " + errors.getFirst().getMessage());
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    private static void run(List<Throwable> errors, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | LinkageError e) {
            errors.add(e);
        }
    }
}
