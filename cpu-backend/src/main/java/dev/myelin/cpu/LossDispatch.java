package dev.myelin.cpu;

import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.Tensor;

/**
 * {@link CpuBackend}'s fused losses with their gradients: element-wise losses and the sigmoid cross
 * entropy split by ranges of elements, row losses and the softmax cross-entropy split by rows.
 */
final class LossDispatch extends SplitDispatch {

    private final Parallel.RangeTask rowLossTask = (p, from, to) -> RowLosses.rowLoss(args.rowLoss, args.beta,
            args.x, args.y, args.z, args.w, args.cols, from, to);
    private final Parallel.RangeTask elementLossTask = (p, from, to) -> Losses.elementLoss(args.elementLoss,
            args.alpha, args.param2, args.beta, args.x, args.y, args.z, args.w, from, to);
    private final Parallel.RangeTask softmaxCrossEntropyTask = (p, from, to) -> Losses.softmaxCrossEntropy(kernels,
            args.flag, args.beta, args.x, args.y, args.z, args.w, args.v, args.cols, from, to);
    private final Parallel.RangeTask sigmoidCrossEntropyTask = (p, from, to) -> Losses.sigmoidCrossEntropy(args.flag,
            args.beta, args.x, args.y, args.z, args.w, args.v, from, to);

    LossDispatch(Kernels kernels, Parallel parallel, SplitArguments args) {
        super(kernels, parallel, args);
    }

    void elementLoss(ElementLoss kind, float param, float param2, float scale, Tensor pred, Tensor target,
            Tensor loss, Tensor grad) {
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

    void rowLoss(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
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

    void crossEntropy(LogitsLoss kind, boolean clip, float scale, Tensor logits, Tensor target, Tensor probs,
            Tensor loss, Tensor grad) {
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
}
