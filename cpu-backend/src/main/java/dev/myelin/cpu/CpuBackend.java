package dev.myelin.cpu;

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

    /** Elements per thread below which memory-bound element-wise work stays on the calling thread. */
    static final int GRAIN_CHEAP = 1 << 16;
    /** The same for work with a transcendental function per element (exp, tanh, log, random bits). */
    static final int GRAIN_COSTLY = 1 << 13;
    /** Sum-type column reductions add rows in float blocks of this many, then in double. */
    static final int COLUMN_BLOCK = 256;

    private final Kernels kernels = VectorSupport.kernels();
    private final Parallel parallel;
    private final Sgemm sgemm;
    private final NormalizationKernels normalization;
    private final String device;

    /**
     * The arguments of the kernel call being split across threads. The tasks below read them from
     * here instead of capturing them, so that a split call allocates nothing (a capturing lambda per
     * call added up to kilobytes per training step). Sound because {@link Backend} runs every kernel
     * under its dispatch lock, so one call at a time fills them, however many threads call the backend
     * (the same holds for {@link Sgemm}'s packing buffers); {@link #runSplit} drops the array references
     * when the call ends.
     */
    private final SplitArguments args = new SplitArguments();

    private final Parallel.RangeTask activationTask =
            (p, from, to) -> kernels.activation(args.f, args.alpha, args.x, args.y, from, to);
    private final Parallel.RangeTask activationBackwardTask =
            (p, from, to) -> kernels.activationBackward(args.f, args.alpha, args.x, args.y, args.z, from, to);
    private final Parallel.RangeTask activationFromInputTask = (p, from, to) ->
            kernels.activationBackwardFromInput(args.f, args.alpha, args.x, args.y, args.z, from, to);
    private final Parallel.RangeTask logSoftmaxTask =
            (p, from, to) -> kernels.logSoftmaxRows(args.x, args.y, args.cols, from, to);
    private final Parallel.RangeTask rowLossTask = (p, from, to) -> RowLosses.rowLoss(args.rowLoss, args.beta,
            args.x, args.y, args.z, args.w, args.cols, from, to);
    private final Parallel.RangeTask softmaxTask =
            (p, from, to) -> kernels.softmaxRows(args.x, args.y, args.cols, from, to);
    private final Parallel.RangeTask reduceAllTask =
            (p, from, to) -> args.partials[p] = kernels.reduce(args.r, args.x, from, to);
    private final Parallel.RangeTask reduceRowsTask =
            (p, from, to) -> reduceRows(args.r, args.x, args.cols, args.y, from, to);
    private final Parallel.RangeTask reduceColumnsTask =
            (p, from, to) -> reduceColumns(args.r, args.x, args.rows, args.cols, args.y, from, to);
    private final Parallel.RangeTask binaryTask =
            (p, from, to) -> kernels.binary(args.op, args.x, from, args.y, from, args.z, from, to - from);
    private final Parallel.RangeTask binaryScalarTask =
            (p, from, to) -> kernels.binaryScalar(args.op, args.x, from, args.alpha, args.z, from, to - from);
    private final Parallel.RangeTask broadcastRowsTask =
            (p, from, to) -> broadcastRows(args.op, args.x, args.y, args.z, args.cols, from, to);
    private final Parallel.RangeTask broadcastColumnTask =
            (p, from, to) -> broadcastColumn(args.op, args.x, args.y, args.z, args.cols, from, to);
    private final Parallel.RangeTask axpbyTask =
            (p, from, to) -> kernels.axpby(args.alpha, args.x, args.beta, args.y, from, to);
    private final Parallel.RangeTask randomFillTask =
            (p, from, to) -> RandomKernels.fill(args.x, args.distribution, args.alpha, args.beta, args.seed, from, to);
    private final Parallel.RangeTask dropoutTask =
            (p, from, to) -> RandomKernels.dropout(args.alpha, args.seed, args.x, args.y, from, to);
    private final Parallel.RangeTask elementLossTask = (p, from, to) -> Losses.elementLoss(args.elementLoss,
            args.alpha, args.param2, args.beta, args.x, args.y, args.z, args.w, from, to);
    private final Parallel.RangeTask softmaxCrossEntropyTask = (p, from, to) -> Losses.softmaxCrossEntropy(kernels,
            args.flag, args.beta, args.x, args.y, args.z, args.w, args.v, args.cols, from, to);
    private final Parallel.RangeTask sigmoidCrossEntropyTask = (p, from, to) -> Losses.sigmoidCrossEntropy(args.flag,
            args.beta, args.x, args.y, args.z, args.w, args.v, from, to);
    private final Parallel.RangeTask optimizerTask = (p, from, to) -> OptimizerUpdates.update(args.rule,
            args.coefficients, args.alpha, args.beta, args.pre, args.x, args.y, args.slots, from, to);

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
        this.args.partials = new double[threads];
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

    private static float[] data(Tensor t) {
        return ((CpuTensor) t).data();
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

    private static int grainOf(Activation f) {
        return switch (f) {
            case LINEAR, STEP, RELU, LEAKY_RELU, SOFTSIGN -> GRAIN_CHEAP;
            default -> GRAIN_COSTLY;
        };
    }

    @Override
    protected void activationKernel(Activation f, float alpha, Tensor x, Tensor y) {
        float[] xs = data(x);
        float[] ys = data(y);
        int n = x.size();
        args.f = f;
        args.alpha = alpha;
        args.x = xs;
        args.y = ys;
        runSplit(parallel.parts(n, grainOf(f)), n, 64, activationTask);
    }

    @Override
    protected void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        float[] ys = data(y);
        float[] dys = data(dy);
        float[] dxs = data(dx);
        int n = y.size();
        args.f = f;
        args.alpha = alpha;
        args.x = ys;
        args.y = dys;
        args.z = dxs;
        runSplit(parallel.parts(n, f == Activation.SOFTPLUS ? GRAIN_COSTLY : GRAIN_CHEAP), n, 64,
                activationBackwardTask);
    }

    @Override
    protected void activationBackwardFromInputKernel(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        float[] xs = data(x);
        float[] dys = data(dy);
        float[] dxs = data(dx);
        int n = x.size();
        args.f = f;
        args.alpha = alpha;
        args.x = xs;
        args.y = dys;
        args.z = dxs;
        runSplit(parallel.parts(n, GRAIN_COSTLY), n, 64, activationFromInputTask);
    }

    @Override
    protected void logSoftmaxKernel(Tensor x, Tensor y) {
        byRows(x, y, logSoftmaxTask);
    }

    @Override
    protected void softmaxKernel(Tensor x, Tensor y) {
        byRows(x, y, softmaxTask);
    }

    /** Runs a row kernel of x into y (softmax, log-softmax), split by rows where the work is large. */
    private void byRows(Tensor x, Tensor y, Parallel.RangeTask task) {
        args.x = data(x);
        args.y = data(y);
        args.cols = x.cols();
        runSplit(Math.min(x.rows(), parallel.parts(x.size(), GRAIN_COSTLY)), x.rows(), 1, task);
    }

    @Override
    protected void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out) {
        float[] xs = data(x);
        float[] os = data(out);
        int rows = x.rows();
        int cols = x.cols();
        switch (axis) {
            case ALL -> os[0] = (float) finishMean(r, reduceAll(r, xs, x.size()), x.size());
            case PER_ROW -> {
                args.r = r;
                args.x = xs;
                args.y = os;
                args.cols = cols;
                runSplit(Math.min(rows, parallel.parts(x.size(), GRAIN_CHEAP)), rows, 1, reduceRowsTask);
            }
            case PER_COLUMN -> {
                args.r = r;
                args.x = xs;
                args.y = os;
                args.rows = rows;
                args.cols = cols;
                runSplit(Math.min(cols / 64 + 1, parallel.parts(x.size(), GRAIN_CHEAP)), cols, 64, reduceColumnsTask);
            }
        }
    }

    private static double finishMean(Reduction r, double value, int count) {
        return r == Reduction.MEAN ? value / count : value;
    }

    private double reduceAll(Reduction r, float[] xs, int n) {
        int parts = parallel.parts(n, GRAIN_CHEAP);
        if (parts <= 1) {
            return kernels.reduce(r, xs, 0, n);
        }
        double[] partial = args.partials;
        args.r = r;
        args.x = xs;
        runSplit(parts, n, ScalarKernels.SUM_BLOCK, reduceAllTask);
        double v = partial[0];
        for (int p = 1; p < parts; p++) {
            v = switch (r) {
                case MAX -> Math.max(v, partial[p]);
                case MIN -> Math.min(v, partial[p]);
                default -> v + partial[p];
            };
        }
        return v;
    }

    private void reduceRows(Reduction r, float[] xs, int cols, float[] os, int from, int to) {
        for (int row = from; row < to; row++) {
            os[row] = (float) finishMean(r, kernels.reduce(r, xs, row * cols, row * cols + cols), cols);
        }
    }

    private void reduceColumns(Reduction r, float[] xs, int rows, int cols, float[] os, int from, int to) {
        boolean extreme = r == Reduction.MAX || r == Reduction.MIN;
        if (extreme || rows <= COLUMN_BLOCK) {
            Arrays.fill(os, from, to, r == Reduction.MAX ? Float.NEGATIVE_INFINITY
                    : r == Reduction.MIN ? Float.POSITIVE_INFINITY : 0f);
            kernels.reduceColumns(r, xs, cols, 0, rows, from, to, os);
            if (r == Reduction.MEAN) {
                for (int c = from; c < to; c++) {
                    os[c] /= rows;
                }
            }
            return;
        }
        // Long columns: float sums over blocks of rows, added in double, so the error does not grow with rows.
        int width = to - from;
        float[] block = new float[cols];
        double[] total = new double[width];
        for (int r0 = 0; r0 < rows; r0 += COLUMN_BLOCK) {
            Arrays.fill(block, from, to, 0f);
            kernels.reduceColumns(r, xs, cols, r0, Math.min(rows, r0 + COLUMN_BLOCK), from, to, block);
            for (int c = 0; c < width; c++) {
                total[c] += block[from + c];
            }
        }
        for (int c = 0; c < width; c++) {
            os[from + c] = (float) finishMean(r, total[c], rows);
        }
    }

    @Override
    protected void argmaxKernel(Tensor x, Tensor out) {
        float[] xs = data(x);
        float[] os = data(out);
        int cols = x.cols();
        for (int row = 0; row < x.rows(); row++) {
            int o = row * cols;
            int best = 0;
            float max = xs[o];
            for (int j = 1; j < cols; j++) {
                // Strictly greater keeps the first index on ties; the first NaN wins and ends the row.
                if (Float.isNaN(max)) {
                    break;
                }
                if (xs[o + j] > max || Float.isNaN(xs[o + j])) {
                    max = xs[o + j];
                    best = j;
                }
            }
            os[row] = best;
        }
    }

    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        float[] as = data(a);
        float[] bs = data(b);
        float[] os = data(out);
        int rows = a.rows();
        int cols = a.cols();
        int n = a.size();
        Shape bShape = b.shape();
        int parts = parallel.parts(n, GRAIN_CHEAP);
        args.op = op;
        args.x = as;
        args.y = bs;
        args.z = os;
        args.cols = cols;
        if (bShape.equals(a.shape())) {
            runSplit(parts, n, 64, binaryTask);
        } else if (bShape.rows() == 1 && bShape.cols() == 1) {
            args.alpha = bs[0];
            runSplit(parts, n, 64, binaryScalarTask);
        } else if (bShape.rows() == 1) {
            // Row broadcast (a bias): the same row of b against every row of a.
            runSplit(Math.min(rows, parts), rows, 1, broadcastRowsTask);
        } else {
            runSplit(Math.min(rows, parts), rows, 1, broadcastColumnTask);
        }
    }

    private void broadcastRows(BinaryOp op, float[] as, float[] bs, float[] os, int cols, int from, int to) {
        for (int r = from; r < to; r++) {
            kernels.binary(op, as, r * cols, bs, 0, os, r * cols, cols);
        }
    }

    private void broadcastColumn(BinaryOp op, float[] as, float[] bs, float[] os, int cols, int from, int to) {
        for (int r = from; r < to; r++) {
            kernels.binaryScalar(op, as, r * cols, bs[r], os, r * cols, cols);
        }
    }

    @Override
    protected void axpbyKernel(float alpha, Tensor x, float beta, Tensor y) {
        float[] xs = data(x);
        float[] ys = data(y);
        int n = x.size();
        args.alpha = alpha;
        args.beta = beta;
        args.x = xs;
        args.y = ys;
        runSplit(parallel.parts(n, GRAIN_CHEAP), n, 64, axpbyTask);
    }

    @Override
    protected void fillKernel(Tensor t, float value) {
        Arrays.fill(data(t), value);
    }

    @Override
    protected void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed) {
        float[] ts = data(t);
        int n = t.size();
        args.x = ts;
        args.distribution = d;
        args.alpha = a;
        args.beta = b;
        args.seed = seed;
        runSplit(parallel.parts(n, GRAIN_COSTLY), n, 64, randomFillTask);
    }

    @Override
    protected void dropoutKernel(float rate, long seed, Tensor x, Tensor y) {
        float[] xs = data(x);
        float[] ys = data(y);
        int n = x.size();
        args.alpha = rate;
        args.seed = seed;
        args.x = xs;
        args.y = ys;
        runSplit(parallel.parts(n, GRAIN_COSTLY), n, 64, dropoutTask);
    }

    @Override
    protected void elementLossKernel(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad) {
        float[] ps = data(pred);
        float[] ts = data(target);
        float[] ls = data(loss);
        float[] gs = data(grad);
        int n = pred.size();
        args.elementLoss = kind;
        args.alpha = param;
        args.param2 = param2;
        args.beta = scale;
        args.x = ps;
        args.y = ts;
        args.z = ls;
        args.w = gs;
        runSplit(parallel.parts(n, GRAIN_COSTLY), n, 64, elementLossTask);
    }

    @Override
    protected void rowLossKernel(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        int rows = pred.rows();
        int cols = pred.cols();
        args.rowLoss = kind;
        args.beta = scale;
        args.x = data(pred);
        args.y = data(target);
        args.z = data(loss);
        args.w = data(grad);
        args.cols = cols;
        runSplit(Math.min(rows, parallel.parts(pred.size(), GRAIN_COSTLY)), rows, 1, rowLossTask);
    }

    @Override
    protected void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits, Tensor target,
            Tensor probs, Tensor loss, Tensor grad) {
        float[] zs = data(logits);
        float[] ts = data(target);
        float[] ps = data(probs);
        float[] ls = data(loss);
        float[] gs = data(grad);
        int rows = logits.rows();
        int cols = logits.cols();
        int n = logits.size();
        args.flag = clip;
        args.beta = scale;
        args.x = zs;
        args.y = ts;
        args.z = ps;
        args.w = ls;
        args.v = gs;
        args.cols = cols;
        if (kind == LogitsLoss.SOFTMAX) {
            runSplit(Math.min(rows, parallel.parts(n, GRAIN_COSTLY)), rows, 1, softmaxCrossEntropyTask);
        } else {
            runSplit(parallel.parts(n, GRAIN_COSTLY), n, 64, sigmoidCrossEntropyTask);
        }
    }

    @Override
    protected void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip,
            float clipAt, Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor[] slots) {
        float[] pre = args.pre;
        pre[OptimizerUpdates.SCALE] = clip.needsSumSquares() ? (float) clip.scale(data(sumSquares)[0], clipAt) : 1f;
        boolean byValue = clip == GradientClip.VALUE;
        pre[OptimizerUpdates.LOW] = byValue ? -clipAt : Float.NEGATIVE_INFINITY;
        pre[OptimizerUpdates.HIGH] = byValue ? clipAt : Float.POSITIVE_INFINITY;
        pre[OptimizerUpdates.DECAY] = decay;
        float[] ws = data(w);
        float[] gs = data(g);
        // A reused array of slot arrays, long enough for every rule (SplitArguments.MAX_SLOTS).
        float[][] ss = args.slots;
        for (int i = 0; i < slots.length; i++) {
            ss[i] = data(slots[i]);
        }
        int n = w.size();
        int parts = parallel.parts(n, GRAIN_CHEAP / 4);
        try {
            if (parts == 1) {
                OptimizerUpdates.update(rule, c, l1, l2, pre, ws, gs, ss, 0, n);
            } else {
                args.rule = rule;
                args.coefficients = c;
                args.alpha = l1;
                args.beta = l2;
                args.x = ws;
                args.y = gs;
                runSplit(parts, n, 64, optimizerTask);
            }
        } finally {
            args.clearArrays();
        }
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

    /** Runs {@code task} over the arguments set in {@link #args}, then drops their array references. */
    private void runSplit(int parts, int n, int align, Parallel.RangeTask task) {
        try {
            parallel.run(parts, n, align, task);
        } finally {
            args.clearArrays();
        }
    }
}
