package dev.myelin.cpu;

import dev.myelin.spi.Activation;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;

/**
 * {@link CpuBackend}'s element-wise operations: activations and their gradients, binary operations
 * with their broadcasts, {@code axpby}, random fills and dropout, split across threads by ranges of
 * elements (by rows for the broadcasts).
 */
final class ElementwiseDispatch extends SplitDispatch {

    private final Parallel.RangeTask activationTask =
            (p, from, to) -> kernels.activation(args.f, args.alpha, args.x, args.y, from, to);
    private final Parallel.RangeTask activationBackwardTask =
            (p, from, to) -> kernels.activationBackward(args.f, args.alpha, args.x, args.y, args.z, from, to);
    private final Parallel.RangeTask activationFromInputTask = (p, from, to) ->
            kernels.activationBackwardFromInput(args.f, args.alpha, args.x, args.y, args.z, from, to);
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

    ElementwiseDispatch(Kernels kernels, Parallel parallel, SplitArguments args) {
        super(kernels, parallel, args);
    }

    private static int grainOf(Activation f) {
        return switch (f) {
            case LINEAR, STEP, RELU, LEAKY_RELU, SOFTSIGN -> GRAIN_CHEAP;
            default -> GRAIN_COSTLY;
        };
    }

    void activation(Activation f, float alpha, Tensor x, Tensor y) {
        float[] xs = data(x);
        float[] ys = data(y);
        int n = x.size();
        args.f = f;
        args.alpha = alpha;
        args.x = xs;
        args.y = ys;
        runSplit(parallel.parts(n, grainOf(f)), n, 64, activationTask);
    }

    void activationBackward(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
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

    void activationBackwardFromInput(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
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

    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
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

    void axpby(float alpha, Tensor x, float beta, Tensor y) {
        float[] xs = data(x);
        float[] ys = data(y);
        int n = x.size();
        args.alpha = alpha;
        args.beta = beta;
        args.x = xs;
        args.y = ys;
        runSplit(parallel.parts(n, GRAIN_CHEAP), n, 64, axpbyTask);
    }

    void randomFill(Tensor t, Distribution d, float a, float b, long seed) {
        float[] ts = data(t);
        int n = t.size();
        args.x = ts;
        args.distribution = d;
        args.alpha = a;
        args.beta = b;
        args.seed = seed;
        runSplit(parallel.parts(n, GRAIN_COSTLY), n, 64, randomFillTask);
    }

    void dropout(float rate, long seed, Tensor x, Tensor y) {
        float[] xs = data(x);
        float[] ys = data(y);
        int n = x.size();
        args.alpha = rate;
        args.seed = seed;
        args.x = xs;
        args.y = ys;
        runSplit(parallel.parts(n, GRAIN_COSTLY), n, 64, dropoutTask);
    }
}
