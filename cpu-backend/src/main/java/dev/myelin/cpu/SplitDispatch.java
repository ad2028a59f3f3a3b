package dev.myelin.cpu;

import dev.myelin.spi.Tensor;

/**
 * The base of {@link CpuBackend}'s dispatchers: each takes one family of operations, sets the
 * arguments of a call in the backend's one {@link SplitArguments} and runs the family's kernel over
 * ranges of the work, on the calling thread or split across the backend's {@link Parallel} pool.
 *
 * <p>The tasks read their arguments from {@link #args} instead of capturing them, so that a split call
 * allocates nothing (a capturing lambda per call added up to kilobytes per training step). Sound
 * because {@link dev.myelin.spi.Backend} runs every kernel under its dispatch lock, so one call at a
 * time fills them, however many threads call the backend (the same holds for {@link Sgemm}'s packing
 * buffers); {@link #runSplit} drops the array references when the call ends.
 */
abstract class SplitDispatch {

    /** Elements per thread below which memory-bound element-wise work stays on the calling thread. */
    static final int GRAIN_CHEAP = 1 << 16;
    /** The same for work with a transcendental function per element (exp, tanh, log, random bits). */
    static final int GRAIN_COSTLY = 1 << 13;

    final Kernels kernels;
    final Parallel parallel;
    /** The arguments of the call being split; shared by every dispatcher of one backend. */
    final SplitArguments args;

    SplitDispatch(Kernels kernels, Parallel parallel, SplitArguments args) {
        this.kernels = kernels;
        this.parallel = parallel;
        this.args = args;
    }

    static float[] data(Tensor t) {
        return ((CpuTensor) t).data();
    }

    /** Runs {@code task} over the arguments set in {@link #args}, then drops their array references. */
    final void runSplit(int parts, int n, int align, Parallel.RangeTask task) {
        try {
            parallel.run(parts, n, align, task);
        } finally {
            args.clearArrays();
        }
    }
}
