package dev.myelin.cpu;

import static dev.myelin.cpu.SplitDispatch.data;

import dev.myelin.spi.Activation;
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
import java.util.Arrays;

/**
 * The pure-Java CPU backend: tensors are heap {@code float[]}s, kernels run on the calling thread
 * (small work) or split across the backend's thread pool (large work), and every operation has
 * finished when its method returns.
 *
 * <pre>{@code
 * try (CpuBackend cpu = new CpuBackend(2)) {
 *     Tensor a = cpu.tensor(128, 784, x), w = cpu.tensor(784, 256, wv), y = cpu.tensor(128, 256);
 *     cpu.gemm(false, false, 1f, a, w, 0f, y);
 *     cpu.activation(Activation.RELU, 0f, y, y);
 * }
 * }</pre>
 *
 * <p>Threads: {@code myelin.threads} (default: every core) run inside one kernel. Calls from several
 * application threads take turns (see {@link Backend}): each kernel then has the whole pool. With the
 * Vector API module absent ({@code --add-modules jdk.incubator.vector} not given) the same operations
 * run on scalar kernels.
 */
public final class CpuBackend extends Backend {

    private final Kernels kernels = VectorSupport.kernels();
    private final Parallel parallel;
    private final Sgemm sgemm;
    private final NormalizationKernels normalization;
    private final ElementwiseDispatch elementwise;
    private final ReductionDispatch reductions;
    private final LossDispatch losses;
    private final OptimizerDispatch optimizer;
    private final String device;

    /** A backend with {@code myelin.threads} threads (default: every core). */
    public CpuBackend() {
        this(CpuInfo.threadsFromProperty());
    }

    /**
     * A backend that uses {@code threads} threads inside a kernel.
     *
     * @param threads the thread count, at least 1
     */
    public CpuBackend(int threads) {
        super(CpuBackendProvider.NAME);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.parallel = new Parallel(threads);
        this.sgemm = new Sgemm(kernels.microKernel(), parallel);
        this.normalization = new NormalizationKernels(parallel);
        // One set of split arguments for every family: the kernels run one at a time (see SplitDispatch).
        SplitArguments args = new SplitArguments();
        this.elementwise = new ElementwiseDispatch(kernels, parallel, args);
        this.reductions = new ReductionDispatch(kernels, parallel, args);
        this.losses = new LossDispatch(kernels, parallel, args);
        this.optimizer = new OptimizerDispatch(kernels, parallel, args);
        this.device = CpuInfo.device() + "; " + kernels.describe() + ", " + threads
                + (threads == 1 ? " thread" : " threads");
    }

    @Override
    public String device() {
        return device;
    }

    /**
     * Number of threads a kernel may use.
     *
     * @return the thread count
     */
    public int threads() {
        return parallel.threads();
    }

    /**
     * True when the kernels run on the Vector API, false on the scalar path.
     *
     * @return whether the Vector API kernels run
     */
    public boolean vectorized() {
        return !(kernels.getClass() == ScalarKernels.class);
    }

    // ------------------------------------------------------------------ memory

    @Override
    protected Tensor allocate(Shape shape) {
        return new CpuTensor(this, shape);
    }

    @Override
    protected void write(Tensor t, float[] src, int offset) {
        System.arraycopy(src, offset, data(t), 0, t.size());
    }

    @Override
    protected void read(Tensor t, float[] dst, int offset) {
        System.arraycopy(data(t), 0, dst, offset, t.size());
    }

    @Override
    protected void finish() {
        // Every kernel has completed when its method returns.
    }

    @Override
    protected void shutdown() {
        parallel.close();
    }

    // ------------------------------------------------------------------ operations

    @Override
    protected void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int m = c.rows();
        int n = c.cols();
        int k = transA ? a.rows() : a.cols();
        sgemm.gemm(transA, transB, m, n, k, alpha, data(a), a.cols(), data(b), b.cols(), beta, data(c));
    }

    @Override
    protected void activationKernel(Activation f, float alpha, Tensor x, Tensor y) {
        elementwise.activation(f, alpha, x, y);
    }

    @Override
    protected void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        elementwise.activationBackward(f, alpha, y, dy, dx);
    }

    @Override
    protected void activationBackwardFromInputKernel(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        elementwise.activationBackwardFromInput(f, alpha, x, dy, dx);
    }

    @Override
    protected void logSoftmaxKernel(Tensor x, Tensor y) {
        reductions.logSoftmax(x, y);
    }

    @Override
    protected void softmaxKernel(Tensor x, Tensor y) {
        reductions.softmax(x, y);
    }

    @Override
    protected void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out) {
        reductions.reduce(r, axis, x, out);
    }

    @Override
    protected void argmaxKernel(Tensor x, Tensor out) {
        ReductionDispatch.argmax(x, out);
    }

    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        elementwise.binary(op, a, b, out);
    }

    @Override
    protected void axpbyKernel(float alpha, Tensor x, float beta, Tensor y) {
        elementwise.axpby(alpha, x, beta, y);
    }

    @Override
    protected void fillKernel(Tensor t, float value) {
        Arrays.fill(data(t), value);
    }

    @Override
    protected void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed) {
        elementwise.randomFill(t, d, a, b, seed);
    }

    @Override
    protected void dropoutKernel(float rate, long seed, Tensor x, Tensor y) {
        elementwise.dropout(rate, seed, x, y);
    }

    @Override
    protected void elementLossKernel(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad) {
        losses.elementLoss(kind, param, param2, scale, pred, target, loss, grad);
    }

    @Override
    protected void rowLossKernel(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        losses.rowLoss(kind, scale, pred, target, loss, grad);
    }

    @Override
    protected void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits, Tensor target,
            Tensor probs, Tensor loss, Tensor grad) {
        losses.crossEntropy(kind, clip, scale, logits, target, probs, loss, grad);
    }

    @Override
    protected void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip,
            float clipAt, Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor[] slots) {
        optimizer.update(rule, c, l1, l2, clip, clipAt, sumSquares, decay, w, g, slots);
    }

    @Override
    protected void momentsKernel(Axis axis, Tensor x, Tensor mean, Tensor variance) {
        normalization.moments(axis, data(x), x.rows(), x.cols(), data(mean), data(variance));
    }

    @Override
    protected void normalizeKernel(Axis axis, float epsilon, float floor, Tensor x, Tensor mean, Tensor variance,
            Tensor gamma, Tensor beta, Tensor y) {
        normalization.normalize(axis, epsilon, floor, data(x), x.rows(), x.cols(), data(mean), data(variance),
                gamma == null ? null : data(gamma), beta == null ? null : data(beta), data(y));
    }

    @Override
    protected void normalizeBackwardKernel(Axis axis, boolean batchStatistics, float epsilon, float floor, Tensor x,
            Tensor mean, Tensor variance, Tensor gamma, Tensor dy, Tensor dgamma, Tensor dbeta, Tensor dx) {
        normalization.normalizeBackward(axis, batchStatistics, epsilon, floor, data(x), x.rows(), x.cols(), data(mean),
                data(variance), gamma == null ? null : data(gamma), data(dy), dgamma == null ? null : data(dgamma),
                dbeta == null ? null : data(dbeta), data(dx));
    }
}
