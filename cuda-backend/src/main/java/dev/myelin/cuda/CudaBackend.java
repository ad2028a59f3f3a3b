package dev.myelin.cuda;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.UpdateRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA backend: tensors in device memory, GEMM by cuBLAS, every other operation by the
 * backend's own kernels ({@link KernelSource}) compiled at run time by NVRTC for the device.
 *
 * <p>Everything runs in order on one non-blocking stream of the device's primary context (the
 * context the CUDA runtime inside cuBLAS also uses): uploads from pinned buffers, kernels, cuBLAS
 * and downloads. Only downloads and {@link #synchronize()} wait. Where the device supports
 * stream-ordered allocation, tensors are allocated and freed on that stream from the driver's
 * memory pool, so freeing a temporary never stalls the queue. The backend binds its context to
 * the calling thread at each operation, so it may move between threads (one at a time).
 */
public final class CudaBackend extends Backend {

    /** Threads per block of the element-wise kernels. */
    private static final int THREADS = 256;

    private final CudaPlan plan;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final Set<CudaTensor> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final boolean pooled;
    private final int maxBlocks;
    private boolean contextRetained;
    private boolean streamCreated;
    private HostStaging staging;
    private Blas blas;
    private RuntimeCompiler compiler;
    private KernelModules kernels;
    private String description;

    CudaBackend(CudaPlan plan) {
        super(CudaBackendProvider.NAME);
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
            release();
            throw e;
        }
    }

    /**
     * Set to {@code foreign} to call CUDA 12's cuBLAS and NVRTC through {@code java.lang.foreign}
     * instead of JCuda's bindings (to test that path, or to work around a JCuda binding that fails).
     */
    public static final String BINDING_PROPERTY = "myelin.cuda.binding";

    private static boolean jcudaAllowed() {
        return !"foreign".equalsIgnoreCase(System.getProperty(BINDING_PROPERTY, "").trim());
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

    @Override
    public String device() {
        return description;
    }

    /** The probe's plan this backend was opened with. */
    public CudaPlan plan() {
        return plan;
    }

    // ---------------------------------------------------------------- memory

    private void bind() {
        CudaCalls.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    @Override
    protected Tensor allocate(Shape shape) {
        bind();
        long bytes = (long) shape.size() * Float.BYTES;
        CUdeviceptr p = new CUdeviceptr();
        int result = pooled ? JCudaDriver.cuMemAllocAsync(p, bytes, stream) : JCudaDriver.cuMemAlloc(p, bytes);
        if (result != 0) {
            throw new CudaException((pooled ? "cuMemAllocAsync" : "cuMemAlloc") + " of " + shape + " (" + bytes
                    + " bytes) failed: " + CudaCalls.error(result) + " on " + plan.device().describe());
        }
        CudaTensor t = new CudaTensor(this, shape, p);
        live.add(t);
        return t;
    }

    /** Returns a tensor's memory; called by {@link CudaTensor#close()}. */
    void free(CudaTensor t) {
        if (t.freed || isClosed()) {
            return;  // shutdown has returned it already
        }
        t.freed = true;
        live.remove(t);
        bind();
        if (pooled) {
            CudaCalls.check(JCudaDriver.cuMemFreeAsync(t.pointer(), stream), "cuMemFreeAsync");
        } else {
            // Queued kernels may still use it: cuMemFree must not overtake them.
            CudaCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
            CudaCalls.check(JCudaDriver.cuMemFree(t.pointer()), "cuMemFree");
        }
    }

    private static CudaTensor cuda(Tensor t) {
        return (CudaTensor) t;
    }

    @Override
    protected void write(Tensor t, float[] src, int offset) {
        bind();
        staging.upload(src, offset, t.size(), cuda(t).pointer());
    }

    @Override
    protected void read(Tensor t, float[] dst, int offset) {
        bind();
        staging.download(cuda(t).pointer(), dst, offset, t.size());
    }

    @Override
    protected void finish() {
        bind();
        CudaCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    // ---------------------------------------------------------------- operations

    @Override
    protected void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        bind();
        ColumnMajorGemm call = ColumnMajorGemm.forRowMajor(transA, transB, a.rows(), a.cols(), b.rows(), b.cols());
        blas.sgemm(call, alpha, cuda(b).buffer, cuda(a).buffer, beta, cuda(c).buffer);
    }

    @Override
    protected void activationKernel(Activation f, float alpha, Tensor x, Tensor y) {
        elementwise(KernelSource.ELEMENTWISE, "activation_forward", x.size(), KernelSource.code(f), alpha, x, y,
                x.size());
    }

    @Override
    protected void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        elementwise(KernelSource.ELEMENTWISE, "activation_backward", y.size(), KernelSource.code(f), alpha, y, dy,
                dx, y.size());
    }

    @Override
    protected void softmaxKernel(Tensor x, Tensor y) {
        rows(KernelSource.ROWS, "softmax_rows", x.rows(), x, y, x.rows(), x.cols());
    }

    @Override
    protected void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out) {
        int code = KernelSource.code(r);
        switch (axis) {
            case PER_ROW -> rows(KernelSource.ROWS, "reduce_rows", x.rows(), code, x, out, x.rows(), x.cols());
            case PER_COLUMN -> launch(KernelSource.ROWS, "reduce_columns", (x.cols() + 31) / 32, 32,
                    KernelSource.COLUMN_SLICES, code, x, out, x.rows(), x.cols());
            case ALL -> launch(KernelSource.ROWS, "reduce_all", 1, KernelSource.ROW_THREADS, 1, code, x, out,
                    x.size());
        }
    }

    @Override
    protected void argmaxKernel(Tensor x, Tensor out) {
        rows(KernelSource.ROWS, "argmax_rows", x.rows(), x, out, x.rows(), x.cols());
    }

    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Shape s = a.shape();
        Shape bs = b.shape();
        int mode = bs.equals(s) ? KernelSource.BCAST_FULL
                : bs.equals(Shape.of(1, s.cols())) ? KernelSource.BCAST_ROW
                : bs.equals(Shape.of(s.rows(), 1)) ? KernelSource.BCAST_COLUMN
                : KernelSource.BCAST_SCALAR;
        elementwise(KernelSource.ELEMENTWISE, "binary", a.size(), KernelSource.code(op), mode, a, b, out, a.size(),
                s.cols());
    }

    @Override
    protected void axpbyKernel(float alpha, Tensor x, float beta, Tensor y) {
        elementwise(KernelSource.ELEMENTWISE, "axpby", x.size(), alpha, x, beta, y, x.size());
    }

    @Override
    protected void fillKernel(Tensor t, float value) {
        bind();
        CudaCalls.check(JCudaDriver.cuMemsetD32Async(cuda(t).pointer(), Float.floatToRawIntBits(value), t.size(),
                stream), "cuMemsetD32Async");
    }

    @Override
    protected void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed) {
        if (d == Distribution.UNIFORM) {
            elementwise(KernelSource.ELEMENTWISE, "random_uniform", t.size(), t, t.size(), a, b, seed);
        } else {
            elementwise(KernelSource.ELEMENTWISE, "random_normal", t.size(), t, t.size(), a, b, seed);
        }
    }

    @Override
    protected void dropoutKernel(float rate, long seed, Tensor x, Tensor y) {
        elementwise(KernelSource.ELEMENTWISE, "dropout", x.size(), rate, seed, x, y, x.size());
    }

    @Override
    protected void elementLossKernel(ElementLoss kind, float param, float scale, Tensor pred, Tensor target,
            Tensor loss, Tensor grad) {
        elementwise(KernelSource.LOSSES, "element_loss", pred.size(), KernelSource.code(kind), param, scale, pred,
                target, loss, grad, pred.size());
    }

    @Override
    protected void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits, Tensor target,
            Tensor probs, Tensor loss, Tensor grad) {
        int c = clip ? 1 : 0;
        if (kind == LogitsLoss.SOFTMAX) {
            rows(KernelSource.ROWS, "softmax_cross_entropy", logits.rows(), c, scale, logits, target, probs, loss,
                    grad, logits.rows(), logits.cols());
        } else {
            elementwise(KernelSource.LOSSES, "sigmoid_cross_entropy", logits.size(), c, scale, logits, target,
                    probs, loss, grad, logits.size());
        }
    }

    @Override
    protected void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, Tensor w, Tensor g,
            Tensor[] slots) {
        float[] k = new float[7];
        System.arraycopy(c, 0, k, 0, c.length);
        Object[] args = {KernelSource.code(rule), w, g, slot(slots, 0), slot(slots, 1), slot(slots, 2), w.size(), l1,
            l2, k[0], k[1], k[2], k[3], k[4], k[5], k[6]};
        elementwise(KernelSource.OPTIMIZERS, "optimizer_update", w.size(), args);
    }

    /** A rule's slot, or a null device pointer for the slots it does not have (the kernel never reads them). */
    private static Object slot(Tensor[] slots, int i) {
        return i < slots.length ? slots[i] : new CUdeviceptr();
    }

    // ---------------------------------------------------------------- launching

    /** One thread per element in a bounded grid (the kernels stride over the rest). */
    private void elementwise(KernelSource source, String kernel, int n, Object... args) {
        int blocks = (int) Math.min(maxBlocks, (n + (long) THREADS - 1) / THREADS);
        launch(source, kernel, Math.max(blocks, 1), THREADS, 1, args);
    }

    /** One block of {@link KernelSource#ROW_THREADS} per row. */
    private void rows(KernelSource source, String kernel, int rows, Object... args) {
        launch(source, kernel, rows, KernelSource.ROW_THREADS, 1, args);
    }

    private void launch(KernelSource source, String kernel, int gridX, int blockX, int blockY, Object... args) {
        bind();
        CUfunction f = kernels.function(source, kernel);
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = parameter(args[i]);
        }
        CudaCalls.check(JCudaDriver.cuLaunchKernel(f, gridX, 1, 1, blockX, blockY, 1, 0, stream, Pointer.to(params),
                null), "cuLaunchKernel(" + kernel + ")");
    }

    /** A pointer to one kernel argument's value, as cuLaunchKernel's parameter array holds it. */
    private static Pointer parameter(Object arg) {
        return switch (arg) {
            case CudaTensor t -> Pointer.to(t.pointer());
            case CUdeviceptr p -> Pointer.to(p);
            case Integer i -> Pointer.to(new int[] {i});
            case Float f -> Pointer.to(new float[] {f});
            case Long l -> Pointer.to(new long[] {l});
            default -> throw new IllegalArgumentException("kernel argument of unsupported type " + arg.getClass());
        };
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    protected void shutdown() {
        release();
    }

    /** Frees whatever has been created, in reverse order; used by shutdown and by a failed start. */
    private void release() {
        List<Throwable> errors = new ArrayList<>();
        if (contextRetained) {
            run(errors, this::bind);
        }
        if (streamCreated) {
            run(errors, () -> CudaCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize"));
        }
        for (CudaTensor t : List.copyOf(live)) {
            t.freed = true;
            run(errors, () -> CudaCalls.check(pooled ? JCudaDriver.cuMemFreeAsync(t.pointer(), stream)
                    : JCudaDriver.cuMemFree(t.pointer()), pooled ? "cuMemFreeAsync" : "cuMemFree"));
        }
        live.clear();
        if (streamCreated) {
            run(errors, () -> CudaCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize"));
        }
        if (kernels != null) {
            run(errors, kernels::close);
        }
        if (blas != null) {
            run(errors, blas::close);
        }
        if (staging != null) {
            run(errors, staging::close);
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
            CudaException e = new CudaException("closing the CUDA backend: " + errors.getFirst().getMessage());
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
