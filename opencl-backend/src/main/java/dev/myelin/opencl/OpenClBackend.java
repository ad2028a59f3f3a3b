package dev.myelin.opencl;

import static org.jocl.CL.*;

import dev.myelin.spi.Activation;
import dev.myelin.spi.AllocationException;
import dev.myelin.spi.Availability;
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
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

/**
 * The OpenCL backend: one context and one in-order command queue on one device. Every operation is
 * enqueued and returns at once; only host reads ({@link Tensor#toArray()}) and {@link #synchronize()}
 * wait. Uploads are blocking writes (the Java array may move once the call returns). Kernels come from
 * the {@code .cl} resources of this package, built on first use by {@link ProgramCache}.
 *
 * <p>Threads share the one queue: {@link Backend}'s dispatch lock admits one thread at a time to set
 * kernel arguments and enqueue, so the work of several threads lands on the queue in the order they
 * took the lock. A host read holds the lock while it waits (a read on an in-order queue waits for
 * every earlier command anyway). {@link QueueThrottle} bounds the queued work when nobody reads.
 */
public final class OpenClBackend extends Backend {

    private static final long ELEMENT_GROUP = 256;
    /** Work-groups of the first stage of a whole-tensor reduction; the second stage is one group. */
    private static final int REDUCE_GROUPS = 64;

    private final ClDevice info;
    private final String deviceText;
    private final cl_context context;
    private final cl_command_queue queue;
    private final QueueThrottle throttle;
    private final ProgramCache programs;
    private final Sgemm sgemm;
    private final int rowGroup;
    private final String rowOptions;
    private final long elementGroup;
    private final AtomicLong deviceBytes = new AtomicLong();
    private final cl_mem[] gemmScratch = new cl_mem[2];
    private final long[] gemmScratchBytes = new long[2];
    private cl_mem partials;

    OpenClBackend(ClDevice info, Availability availability) {
        this(info, availability, Sgemm.forcedByProperty());
    }

    /** For tests: {@code gemm} forces a GEMM kernel kind (null: the device's default). */
    OpenClBackend(ClDevice info, Availability availability, Sgemm.Kind gemm) {
        super(OpenClProbe.NAME);
        this.info = info;
        // First, so that a bad tuning property fails before any OpenCL object exists.
        this.sgemm = new Sgemm(this, info, gemm);
        cl_device_id device = JoclDiscovery.device(info);
        int[] err = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, JoclDiscovery.platforms()[info.platformIndex()]);
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, err);
        Cl.check(err[0], "clCreateContext");
        @SuppressWarnings("deprecation")
        cl_command_queue q = clCreateCommandQueue(context, device, 0, err);
        if (err[0] != CL_SUCCESS) {
            clReleaseContext(context);
            Cl.check(err[0], "clCreateCommandQueue");
        }
        this.queue = q;
        this.throttle = new QueueThrottle(q);
        this.programs = new ProgramCache(context, device);
        // Row kernels: a GPU wants a wide group per row; a CPU device runs a group's items in a loop,
        // where a narrow group keeps short rows (10 classes) from idling most of it.
        this.rowGroup = info.type() == ClDevice.Type.CPU ? 16 : (int) Math.min(256, Long.highestOneBit(info.maxWorkGroup()));
        this.rowOptions = "-D WG=" + rowGroup;
        this.elementGroup = Math.min(ELEMENT_GROUP, info.maxWorkGroup());
        this.deviceText = availability.device() + ", SGEMM " + sgemm.describe();
    }

    @Override
    public String device() {
        return deviceText;
    }

    /** Bytes held by this backend's live tensors (for leak checks). */
    long deviceBytes() {
        return deviceBytes.get();
    }

    ProgramCache programs() {
        return programs;
    }

    Sgemm.Kind gemmKind() {
        return sgemm.kind();
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected Tensor allocate(Shape shape) {
        long bytes = AllocationException.bytesOf(shape);
        if (bytes > info.maxAllocBytes()) {
            throw new AllocationException(name(), shape, "more than the device's largest buffer ("
                    + AllocationException.mib(info.maxAllocBytes()) + ", CL_DEVICE_MAX_MEM_ALLOC_SIZE)", null);
        }
        long held = deviceBytes.get();
        if (held + bytes > info.globalMemBytes()) {
            throw new AllocationException(name(), shape, "the device's memory (" + AllocationException.mib(
                    info.globalMemBytes()) + ", CL_DEVICE_GLOBAL_MEM_SIZE) already holds "
                    + AllocationException.mib(held) + " of this backend's tensors", null);
        }
        int[] err = new int[1];
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, err);
        if (err[0] == CL_MEM_OBJECT_ALLOCATION_FAILURE || err[0] == CL_OUT_OF_RESOURCES
                || err[0] == CL_OUT_OF_HOST_MEMORY) {
            throw new AllocationException(name(), shape, "clCreateBuffer failed with " + stringFor_errorCode(err[0]),
                    null);
        }
        Cl.check(err[0], "clCreateBuffer(" + bytes + " bytes)");
        deviceBytes.addAndGet(bytes);
        return new ClTensor(this, shape, mem);
    }

    /** Releases a tensor's buffer; runs under the dispatch lock ({@link Backend#released}). */
    void free(ClTensor t) {
        clReleaseMemObject(t.mem());
        deviceBytes.addAndGet(-t.bytes());
        if (!isClosed()) {
            throttle.released(t.bytes());
        }
    }

    cl_command_queue queue() {
        return queue;
    }

    QueueThrottle throttle() {
        return throttle;
    }

    @Override
    protected void write(Tensor t, float[] src, int offset) {
        ClTensor ct = (ClTensor) t;
        Cl.check(clEnqueueWriteBuffer(queue, ct.mem(), CL_TRUE, 0, ct.bytes(),
                Pointer.to(src).withByteOffset((long) offset * Float.BYTES), 0, null, null), "clEnqueueWriteBuffer");
        throttle.drained();
    }

    @Override
    protected void read(Tensor t, float[] dst, int offset) {
        ClTensor ct = (ClTensor) t;
        Cl.check(clEnqueueReadBuffer(queue, ct.mem(), CL_TRUE, 0, ct.bytes(),
                Pointer.to(dst).withByteOffset((long) offset * Float.BYTES), 0, null, null), "clEnqueueReadBuffer");
        throttle.drained();
    }

    @Override
    protected void finish() {
        Cl.check(clFinish(queue), "clFinish");
        throttle.drained();
    }

    // ---------------------------------------------------------------- operations

    @Override
    protected void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        sgemm.run(transA, transB, alpha, (ClTensor) a, (ClTensor) b, beta, (ClTensor) c);
    }

    /** The first eleven activations are in elementwise.cl; Keras 3's additions and every derivative from x in activations.cl. */
    private static String programOf(Activation f) {
        return f.ordinal() < Activation.HARD_SIGMOID.ordinal() ? "elementwise.cl" : "activations.cl";
    }

    /** The first nine element losses are in elementwise.cl, Keras 3's additions (two parameters) in losses.cl. */
    private static boolean inLossesProgram(ElementLoss kind) {
        return kind.ordinal() >= ElementLoss.LOG_COSH.ordinal();
    }

    @Override
    protected void activationKernel(Activation f, float alpha, Tensor x, Tensor y) {
        launch(programOf(f), "", "act_" + f.kerasName()).mem(cl(x)).mem(cl(y)).i32(x.size()).f32(alpha)
                .run(x.size(), elementGroup);
    }

    @Override
    protected void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        launch(programOf(f), "", "act_" + f.kerasName() + "_grad").mem(cl(y)).mem(cl(dy)).mem(cl(dx))
                .i32(y.size()).f32(alpha).run(y.size(), elementGroup);
    }

    @Override
    protected void activationBackwardFromInputKernel(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        launch("activations.cl", "", "act_" + f.kerasName() + "_dx").mem(cl(x)).mem(cl(dy)).mem(cl(dx))
                .i32(x.size()).f32(alpha).run(x.size(), elementGroup);
    }

    @Override
    protected void logSoftmaxKernel(Tensor x, Tensor y) {
        launch("rows.cl", rowOptions, "log_softmax_rows").mem(cl(x)).mem(cl(y)).i32(x.cols())
                .run((long) x.rows() * rowGroup, rowGroup);
    }

    @Override
    protected void rowLossKernel(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        launch("rows.cl", rowOptions, "row_loss_" + kind.name().toLowerCase(Locale.ROOT)).mem(cl(pred))
                .mem(cl(target)).mem(cl(loss)).mem(cl(grad)).i32(pred.cols()).f32(scale)
                .run((long) pred.rows() * rowGroup, rowGroup);
    }

    @Override
    protected void softmaxKernel(Tensor x, Tensor y) {
        launch("rows.cl", rowOptions, "softmax_rows").mem(cl(x)).mem(cl(y)).i32(x.cols())
                .run((long) x.rows() * rowGroup, rowGroup);
    }

    @Override
    protected void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out) {
        String kind = switch (r) {
            case SUM, MEAN -> "sum";
            case MAX -> "max";
            case MIN -> "min";
            case SUM_ABS -> "sum_abs";
            case SUM_SQUARES -> "sum_squares";
        };
        switch (axis) {
            case PER_ROW -> launch("rows.cl", rowOptions, "reduce_rows_" + kind).mem(cl(x)).mem(cl(out))
                    .i32(x.cols()).f32(r == Reduction.MEAN ? x.cols() : 1f).run((long) x.rows() * rowGroup, rowGroup);
            case PER_COLUMN -> launch("rows.cl", rowOptions, "reduce_cols_" + kind).mem(cl(x)).mem(cl(out))
                    .i32(x.rows()).i32(x.cols()).f32(r == Reduction.MEAN ? x.rows() : 1f).run(x.cols(), rowGroup);
            case ALL -> {
                int groups = (int) Math.max(1, Math.min(REDUCE_GROUPS, (x.size() + rowGroup - 1) / rowGroup));
                cl_mem partial = partials();
                launch("rows.cl", rowOptions, "reduce_all_" + kind).mem(cl(x)).mem(partial).i32(x.size())
                        .run((long) groups * rowGroup, rowGroup);
                String fin = r == Reduction.MAX ? "max" : r == Reduction.MIN ? "min" : "sum";
                launch("rows.cl", rowOptions, "reduce_final_" + fin).mem(partial).mem(cl(out)).i32(groups)
                        .f32(r == Reduction.MEAN ? x.size() : 1f).run(rowGroup, rowGroup);
            }
        }
    }

    @Override
    protected void argmaxKernel(Tensor x, Tensor out) {
        launch("rows.cl", rowOptions, "argmax_rows").mem(cl(x)).mem(cl(out)).i32(x.cols())
                .run((long) x.rows() * rowGroup, rowGroup);
    }

    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String mode = b.shape().equals(a.shape()) ? "full"
                : b.size() == 1 ? "scalar" : b.rows() == 1 ? "row" : "col";
        launch("elementwise.cl", "", "bin_" + op.name().toLowerCase(Locale.ROOT) + "_" + mode)
                .mem(cl(a)).mem(cl(b)).mem(cl(out)).i32(a.size()).i32(a.cols()).run(a.size(), elementGroup);
    }

    @Override
    protected void axpbyKernel(float alpha, Tensor x, float beta, Tensor y) {
        launch("elementwise.cl", "", "axpby").mem(cl(x)).mem(cl(y)).i32(x.size()).f32(alpha).f32(beta)
                .run(x.size(), elementGroup);
    }

    @Override
    protected void fillKernel(Tensor t, float value) {
        launch("elementwise.cl", "", "fill").mem(cl(t)).i32(t.size()).f32(value).run(t.size(), elementGroup);
    }

    @Override
    protected void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed) {
        launch("elementwise.cl", "", d == Distribution.UNIFORM ? "random_uniform" : "random_normal").mem(cl(t))
                .i32(t.size()).f32(a).f32(b).i64(seed).run(t.size(), elementGroup);
    }

    @Override
    protected void dropoutKernel(float rate, long seed, Tensor x, Tensor y) {
        launch("elementwise.cl", "", "dropout").mem(cl(x)).mem(cl(y)).i32(x.size()).f32(rate).i64(seed)
                .run(x.size(), elementGroup);
    }

    @Override
    protected void elementLossKernel(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad) {
        boolean two = inLossesProgram(kind);
        Launch l = launch(two ? "losses.cl" : "elementwise.cl", "", "loss_" + kind.name().toLowerCase(Locale.ROOT))
                .mem(cl(pred)).mem(cl(target)).mem(cl(loss)).mem(cl(grad)).i32(pred.size()).f32(param);
        if (two) {
            l.f32(param2);
        }
        l.f32(scale).run(pred.size(), elementGroup);
    }

    @Override
    protected void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits, Tensor target,
            Tensor probs, Tensor loss, Tensor grad) {
        if (kind == LogitsLoss.SOFTMAX) {
            launch("rows.cl", rowOptions, "softmax_cross_entropy").mem(cl(logits)).mem(cl(target)).mem(cl(probs))
                    .mem(cl(loss)).mem(cl(grad)).i32(logits.cols()).i32(clip ? 1 : 0).f32(scale)
                    .run((long) logits.rows() * rowGroup, rowGroup);
        } else {
            launch("elementwise.cl", "", "sigmoid_cross_entropy").mem(cl(logits)).mem(cl(target)).mem(cl(probs))
                    .mem(cl(loss)).mem(cl(grad)).i32(logits.size()).i32(clip ? 1 : 0).f32(scale)
                    .run(logits.size(), elementGroup);
        }
    }

    @Override
    protected void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip,
            float clipAt, Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor[] slots) {
        Launch l = launch("optimizers.cl", "", "update_" + rule.name().toLowerCase(Locale.ROOT)).mem(cl(w)).mem(cl(g));
        for (Tensor s : slots) {
            l.mem(cl(s));
        }
        l.i32(w.size()).f32(l1).f32(l2);
        for (int i = 0; i < 7; i++) {
            l.f32(i < c.length ? c[i] : 0f);
        }
        // The kernel's clip modes: 0 none (or by value, through the bounds), 1 NORM, 2 GLOBAL_NORM; without
        // a sum of squares, w stands in for the buffer the kernel then never reads.
        int mode = clip == GradientClip.NORM ? 1 : clip == GradientClip.GLOBAL_NORM ? 2 : 0;
        boolean byValue = clip == GradientClip.VALUE;
        l.i32(mode).f32(clipAt).mem(cl(sumSquares != null ? sumSquares : w))
                .f32(byValue ? -clipAt : Float.NEGATIVE_INFINITY).f32(byValue ? clipAt : Float.POSITIVE_INFINITY)
                .f32(decay);
        l.run(w.size(), elementGroup);
    }

    @Override
    protected void momentsKernel(Axis axis, Tensor x, Tensor mean, Tensor variance) {
        boolean perRow = axis == Axis.PER_ROW;
        launch("normalization.cl", "", "moments").mem(cl(x)).mem(cl(mean)).mem(cl(variance)).i32(x.rows())
                .i32(x.cols()).i32(perRow ? 1 : 0).run(perRow ? x.rows() : x.cols(), elementGroup);
    }

    @Override
    protected void normalizeKernel(Axis axis, float epsilon, float floor, Tensor x, Tensor mean, Tensor variance,
            Tensor gamma, Tensor beta, Tensor y) {
        // An absent gamma or beta is passed as x, with its flag 0: the kernel never reads it.
        launch("normalization.cl", "", "normalize_forward").mem(cl(x)).mem(cl(mean)).mem(cl(variance))
                .mem(cl(gamma != null ? gamma : x)).mem(cl(beta != null ? beta : x)).mem(cl(y)).i32(x.rows())
                .i32(x.cols()).i32(axis == Axis.PER_ROW ? 1 : 0).f32(epsilon).f32(floor).i32(gamma != null ? 1 : 0)
                .i32(beta != null ? 1 : 0).run(x.size(), elementGroup);
    }

    @Override
    protected void normalizeBackwardKernel(Axis axis, boolean batchStatistics, float epsilon, float floor, Tensor x,
            Tensor mean, Tensor variance, Tensor gamma, Tensor dy, Tensor dgamma, Tensor dbeta, Tensor dx) {
        // Absent tensors are passed as dx (or x for gamma), with their flag 0: the kernels never touch them.
        cl_mem g = cl(gamma != null ? gamma : x);
        cl_mem dg = cl(dgamma != null ? dgamma : dx);
        cl_mem db = cl(dbeta != null ? dbeta : dx);
        int batch = batchStatistics ? 1 : 0;
        if (axis == Axis.PER_COLUMN) {
            launch("normalization.cl", "", "normalize_backward_columns").mem(cl(x)).mem(cl(mean)).mem(cl(variance))
                    .mem(g).mem(cl(dy)).mem(dg).mem(db).mem(cl(dx)).i32(x.rows()).i32(x.cols()).i32(batch)
                    .f32(epsilon).f32(floor).i32(gamma != null ? 1 : 0).i32(dgamma != null ? 1 : 0)
                    .i32(dbeta != null ? 1 : 0).run(x.cols(), elementGroup);
            return;
        }
        if (dgamma != null || dbeta != null) {
            launch("normalization.cl", "", "normalize_parameter_gradients_rows").mem(cl(x)).mem(cl(mean))
                    .mem(cl(variance)).mem(cl(dy)).mem(dg).mem(db).i32(x.rows()).i32(x.cols()).f32(epsilon).f32(floor)
                    .i32(dgamma != null ? 1 : 0).i32(dbeta != null ? 1 : 0).run(x.cols(), elementGroup);
        }
        launch("normalization.cl", "", "normalize_backward_rows").mem(cl(x)).mem(cl(mean)).mem(cl(variance)).mem(g)
                .mem(cl(dy)).mem(cl(dx)).i32(x.rows()).i32(x.cols()).i32(batch).f32(epsilon).f32(floor)
                .i32(gamma != null ? 1 : 0).run(x.rows(), elementGroup);
    }

    @Override
    protected void shutdown() {
        throttle.drained();
        programs.close();
        for (int i = 0; i < gemmScratch.length; i++) {
            if (gemmScratch[i] != null) {
                clReleaseMemObject(gemmScratch[i]);
                gemmScratch[i] = null;
            }
        }
        if (partials != null) {
            clReleaseMemObject(partials);
            partials = null;
        }
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    // ---------------------------------------------------------------- helpers for the kernel classes

    Launch launch(String resource, String options, String kernel) {
        return new Launch(this, programs.kernel("/dev/myelin/opencl/" + resource, options, kernel), kernel);
    }

    /**
     * Scratch buffer {@code slot} (0 or 1) of at least {@code floats} values for GEMM's transposed
     * operands, grown on demand and kept until close.
     */
    cl_mem gemmScratch(int slot, long floats) {
        long bytes = floats * Float.BYTES;
        if (bytes > gemmScratchBytes[slot]) {
            if (gemmScratch[slot] != null) {
                // Safe while enqueued kernels still use it: OpenCL frees it once they are done.
                clReleaseMemObject(gemmScratch[slot]);
                gemmScratch[slot] = null;
                gemmScratchBytes[slot] = 0;
            }
            int[] err = new int[1];
            cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, err);
            Cl.check(err[0], "clCreateBuffer(GEMM scratch, " + bytes + " bytes)");
            gemmScratch[slot] = mem;
            gemmScratchBytes[slot] = bytes;
        }
        return gemmScratch[slot];
    }

    /** Enqueues {@code dst [cols x rows] = src [rows x cols]} transposed. */
    void transpose(cl_mem src, cl_mem dst, int rows, int cols) {
        launch("elementwise.cl", "", "transpose").mem(src).mem(dst).i32(rows).i32(cols)
                .run(new long[] {Launch.roundUp(cols, 16), Launch.roundUp(rows, 16)}, new long[] {16, 16});
    }

    private cl_mem partials() {
        if (partials == null) {
            int[] err = new int[1];
            partials = clCreateBuffer(context, CL_MEM_READ_WRITE, (long) REDUCE_GROUPS * Sizeof.cl_float, null, err);
            Cl.check(err[0], "clCreateBuffer(reduction partials)");
        }
        return partials;
    }

    private static cl_mem cl(Tensor t) {
        return ((ClTensor) t).mem();
    }
}
