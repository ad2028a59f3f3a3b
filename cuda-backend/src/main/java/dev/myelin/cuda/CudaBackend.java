package dev.myelin.cuda;

import dev.myelin.spi.Activation;
import dev.myelin.spi.AllocationException;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The CUDA backend: tensors in device memory, GEMM by cuBLAS, every other operation by the
 * backend's own kernels ({@link KernelSource}) compiled at run time by NVRTC for the device.
 * This class maps each SPI operation to its kernel launch (arguments in the kernel's order, the
 * grid its kernel expects); {@link JCudaRuntime} runs them on the device, in order on one stream.
 * Threads share that stream, the cuBLAS handle and the staging buffers: {@link Backend}'s dispatch
 * lock lets one thread at a time launch, copy, allocate or free, and the runtime makes the context
 * current on whichever thread holds it.
 *
 * <p>Launch shapes: element-wise kernels get 256-thread blocks in a grid bounded by
 * {@link DeviceRuntime#maxBlocks()} and stride over the rest; row kernels (softmax, argmax,
 * per-row reductions, softmax cross-entropy) get one block of {@link KernelSource#ROW_THREADS}
 * per row; per-column reductions get blocks of 32 columns by {@link KernelSource#COLUMN_SLICES}
 * row slices; the reduction over everything is one block.
 */
public final class CudaBackend extends Backend {

    /**
     * Set to {@code foreign} to call CUDA 12's cuBLAS and NVRTC through {@code java.lang.foreign}
     * instead of JCuda's bindings (to test that path, or to work around a JCuda binding that fails).
     */
    public static final String BINDING_PROPERTY = "myelin.cuda.binding";

    /** Threads per block of the element-wise kernels. */
    private static final int THREADS = 256;

    private final DeviceRuntime device;
    private final Set<CudaTensor> live = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Opens the device and libraries of a plan the probe found available. */
    CudaBackend(CudaPlan plan) {
        this(new JCudaRuntime(plan));
    }

    /** The operations over {@code device}. */
    CudaBackend(DeviceRuntime device) {
        super(CudaBackendProvider.NAME);
        this.device = device;
    }

    @Override
    public String device() {
        return device.describe();
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected Tensor allocate(Shape shape) {
        DeviceBuffer buffer;
        try {
            buffer = device.allocate(AllocationException.bytesOf(shape));
        } catch (CudaException.OutOfMemory e) {
            throw new AllocationException(name(), shape, "the device's memory is full: " + e.getMessage(), e);
        }
        CudaTensor t = new CudaTensor(this, shape, buffer);
        synchronized (live) {
            live.add(t);
        }
        return t;
    }

    /** Returns a tensor's memory; called by {@link CudaTensor#close()}. */
    void free(CudaTensor t) {
        synchronized (live) {
            if (t.freed || isClosed()) {
                return;  // shutdown has returned it already
            }
            t.freed = true;
            live.remove(t);
        }
        device.free(t.buffer);
    }

    private static DeviceBuffer buf(Tensor t) {
        return ((CudaTensor) t).buffer;
    }

    @Override
    protected void write(Tensor t, float[] src, int offset) {
        device.upload(src, offset, t.size(), buf(t));
    }

    @Override
    protected void read(Tensor t, float[] dst, int offset) {
        device.download(buf(t), dst, offset, t.size());
    }

    @Override
    protected void finish() {
        device.synchronize();
    }

    // ---------------------------------------------------------------- operations

    @Override
    protected void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        ColumnMajorGemm call = ColumnMajorGemm.forRowMajor(transA, transB, a.rows(), a.cols(), b.rows(), b.cols());
        device.sgemm(call, alpha, buf(b), buf(a), beta, buf(c));
    }

    @Override
    protected void activationKernel(Activation f, float alpha, Tensor x, Tensor y) {
        elementwise(KernelSource.ELEMENTWISE, "activation_forward", x.size(), KernelSource.code(f), alpha, buf(x),
                buf(y), x.size());
    }

    @Override
    protected void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        elementwise(KernelSource.ELEMENTWISE, "activation_backward", y.size(), KernelSource.code(f), alpha, buf(y),
                buf(dy), buf(dx), y.size());
    }

    @Override
    protected void activationBackwardFromInputKernel(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        elementwise(KernelSource.ELEMENTWISE, "activation_backward_from_input", x.size(), KernelSource.code(f), alpha,
                buf(x), buf(dy), buf(dx), x.size());
    }

    @Override
    protected void logSoftmaxKernel(Tensor x, Tensor y) {
        rows(KernelSource.ROWS, "log_softmax_rows", x.rows(), buf(x), buf(y), x.rows(), x.cols());
    }

    @Override
    protected void rowLossKernel(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        String kernel = switch (kind) {
            case CATEGORICAL_CROSSENTROPY -> "row_loss_categorical_crossentropy";
            case CATEGORICAL_HINGE -> "row_loss_categorical_hinge";
            case COSINE_SIMILARITY -> "row_loss_cosine_similarity";
        };
        rows(KernelSource.ROWS, kernel, pred.rows(), scale, buf(pred), buf(target), buf(loss), buf(grad), pred.rows(),
                pred.cols());
    }

    @Override
    protected void softmaxKernel(Tensor x, Tensor y) {
        rows(KernelSource.ROWS, "softmax_rows", x.rows(), buf(x), buf(y), x.rows(), x.cols());
    }

    @Override
    protected void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out) {
        int code = KernelSource.code(r);
        switch (axis) {
            case PER_ROW -> rows(KernelSource.ROWS, "reduce_rows", x.rows(), code, buf(x), buf(out), x.rows(),
                    x.cols());
            case PER_COLUMN -> device.launch(KernelSource.ROWS, "reduce_columns", (x.cols() + 31) / 32, 32,
                    KernelSource.COLUMN_SLICES, code, buf(x), buf(out), x.rows(), x.cols());
            case ALL -> device.launch(KernelSource.ROWS, "reduce_all", 1, KernelSource.ROW_THREADS, 1, code, buf(x),
                    buf(out), x.size());
        }
    }

    @Override
    protected void argmaxKernel(Tensor x, Tensor out) {
        rows(KernelSource.ROWS, "argmax_rows", x.rows(), buf(x), buf(out), x.rows(), x.cols());
    }

    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Shape s = a.shape();
        Shape bs = b.shape();
        int mode = bs.equals(s) ? KernelSource.BCAST_FULL
                : bs.equals(Shape.of(1, s.cols())) ? KernelSource.BCAST_ROW
                : bs.equals(Shape.of(s.rows(), 1)) ? KernelSource.BCAST_COLUMN
                : KernelSource.BCAST_SCALAR;
        elementwise(KernelSource.ELEMENTWISE, "binary", a.size(), KernelSource.code(op), mode, buf(a), buf(b),
                buf(out), a.size(), s.cols());
    }

    @Override
    protected void axpbyKernel(float alpha, Tensor x, float beta, Tensor y) {
        elementwise(KernelSource.ELEMENTWISE, "axpby", x.size(), alpha, buf(x), beta, buf(y), x.size());
    }

    @Override
    protected void fillKernel(Tensor t, float value) {
        device.fill32(buf(t), Float.floatToRawIntBits(value), t.size());
    }

    @Override
    protected void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed) {
        if (d == Distribution.UNIFORM) {
            elementwise(KernelSource.ELEMENTWISE, "random_uniform", t.size(), buf(t), t.size(), a, b, seed);
        } else {
            elementwise(KernelSource.ELEMENTWISE, "random_normal", t.size(), buf(t), t.size(), a, b, seed);
        }
    }

    @Override
    protected void dropoutKernel(float rate, long seed, Tensor x, Tensor y) {
        elementwise(KernelSource.ELEMENTWISE, "dropout", x.size(), rate, seed, buf(x), buf(y), x.size());
    }

    @Override
    protected void elementLossKernel(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad) {
        elementwise(KernelSource.LOSSES, "element_loss", pred.size(), KernelSource.code(kind), param, param2, scale,
                buf(pred), buf(target), buf(loss), buf(grad), pred.size());
    }

    @Override
    protected void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits, Tensor target,
            Tensor probs, Tensor loss, Tensor grad) {
        int c = clip ? 1 : 0;
        if (kind == LogitsLoss.SOFTMAX) {
            rows(KernelSource.ROWS, "softmax_cross_entropy", logits.rows(), c, scale, buf(logits), buf(target),
                    buf(probs), buf(loss), buf(grad), logits.rows(), logits.cols());
        } else {
            elementwise(KernelSource.LOSSES, "sigmoid_cross_entropy", logits.size(), c, scale, buf(logits),
                    buf(target), buf(probs), buf(loss), buf(grad), logits.size());
        }
    }

    @Override
    protected void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip,
            float clipAt, Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor[] slots) {
        float[] k = new float[7];
        System.arraycopy(c, 0, k, 0, c.length);
        // A rule's absent slots are null device pointers; its kernel branch never touches them.
        DeviceBuffer s0 = slots.length > 0 ? buf(slots[0]) : null;
        DeviceBuffer s1 = slots.length > 1 ? buf(slots[1]) : null;
        DeviceBuffer s2 = slots.length > 2 ? buf(slots[2]) : null;
        // Clipping by value goes through the bounds; the other modes leave them infinite.
        boolean byValue = clip == GradientClip.VALUE;
        elementwise(KernelSource.OPTIMIZERS, "optimizer_update", w.size(), KernelSource.code(rule), buf(w), buf(g),
                s0, s1, s2, w.size(), l1, l2, k[0], k[1], k[2], k[3], k[4], k[5], k[6], KernelSource.code(clip), clipAt,
                sumSquares != null ? buf(sumSquares) : null, byValue ? -clipAt : Float.NEGATIVE_INFINITY,
                byValue ? clipAt : Float.POSITIVE_INFINITY, decay);
    }

    @Override
    protected void momentsKernel(Axis axis, Tensor x, Tensor mean, Tensor variance) {
        boolean perRow = axis == Axis.PER_ROW;
        elementwise(KernelSource.NORMALIZATION, "moments", perRow ? x.rows() : x.cols(), buf(x), buf(mean),
                buf(variance), x.rows(), x.cols(), perRow ? 1 : 0);
    }

    @Override
    protected void normalizeKernel(Axis axis, float epsilon, float floor, Tensor x, Tensor mean, Tensor variance,
            Tensor gamma, Tensor beta, Tensor y) {
        elementwise(KernelSource.NORMALIZATION, "normalize_forward", x.size(), buf(x), buf(mean), buf(variance),
                gamma != null ? buf(gamma) : null, beta != null ? buf(beta) : null, buf(y), x.rows(), x.cols(),
                axis == Axis.PER_ROW ? 1 : 0, epsilon, floor);
    }

    @Override
    protected void normalizeBackwardKernel(Axis axis, boolean batchStatistics, float epsilon, float floor, Tensor x,
            Tensor mean, Tensor variance, Tensor gamma, Tensor dy, Tensor dgamma, Tensor dbeta, Tensor dx) {
        // Absent tensors are null device pointers; the kernels test them before touching them.
        DeviceBuffer g = gamma != null ? buf(gamma) : null;
        DeviceBuffer dg = dgamma != null ? buf(dgamma) : null;
        DeviceBuffer db = dbeta != null ? buf(dbeta) : null;
        int batch = batchStatistics ? 1 : 0;
        if (axis == Axis.PER_COLUMN) {
            elementwise(KernelSource.NORMALIZATION, "normalize_backward_columns", x.cols(), buf(x), buf(mean),
                    buf(variance), g, buf(dy), dg, db, buf(dx), x.rows(), x.cols(), batch, epsilon, floor);
            return;
        }
        if (dg != null || db != null) {
            elementwise(KernelSource.NORMALIZATION, "normalize_parameter_gradients_rows", x.cols(), buf(x), buf(mean),
                    buf(variance), buf(dy), dg, db, x.rows(), x.cols(), epsilon, floor);
        }
        elementwise(KernelSource.NORMALIZATION, "normalize_backward_rows", x.rows(), buf(x), buf(mean), buf(variance),
                g, buf(dy), buf(dx), x.rows(), x.cols(), batch, epsilon, floor);
    }

    // ---------------------------------------------------------------- launching

    /** One thread per element in a bounded grid (the kernels stride over the rest). */
    private void elementwise(KernelSource source, String kernel, int n, Object... args) {
        int blocks = (int) Math.min(device.maxBlocks(), (n + (long) THREADS - 1) / THREADS);
        device.launch(source, kernel, Math.max(blocks, 1), THREADS, 1, args);
    }

    /** One block of {@link KernelSource#ROW_THREADS} per row. */
    private void rows(KernelSource source, String kernel, int rows, Object... args) {
        device.launch(source, kernel, rows, KernelSource.ROW_THREADS, 1, args);
    }

    // ---------------------------------------------------------------- shutdown

    /** Returns every tensor still open, then closes the device. */
    @Override
    protected void shutdown() {
        List<Throwable> errors = new ArrayList<>();
        List<CudaTensor> open;
        synchronized (live) {
            open = List.copyOf(live);
            live.clear();
        }
        for (CudaTensor t : open) {
            t.freed = true;
            try {
                device.free(t.buffer);
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        try {
            device.close();
        } catch (RuntimeException e) {
            errors.add(e);
        }
        if (!errors.isEmpty()) {
            CudaException e = new CudaException("closing the CUDA backend: " + errors.getFirst().getMessage());
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }
}
