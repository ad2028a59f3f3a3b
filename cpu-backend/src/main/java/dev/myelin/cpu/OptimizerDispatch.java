package dev.myelin.cpu;

import dev.myelin.spi.GradientClip;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;

/**
 * {@link CpuBackend}'s optimizer step: the clipping and decay worked out once per call, then
 * {@link OptimizerUpdates} over ranges of the weights, on the calling thread for small tensors.
 */
final class OptimizerDispatch extends SplitDispatch {

    private final Parallel.RangeTask optimizerTask = (p, from, to) -> OptimizerUpdates.update(args.rule,
            args.coefficients, args.alpha, args.beta, args.pre, args.x, args.y, args.slots, from, to);

    OptimizerDispatch(Kernels kernels, Parallel parallel, SplitArguments args) {
        super(kernels, parallel, args);
    }

    void update(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip, float clipAt, Tensor sumSquares,
            float decay, Tensor w, Tensor g, Tensor[] slots) {
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
}
