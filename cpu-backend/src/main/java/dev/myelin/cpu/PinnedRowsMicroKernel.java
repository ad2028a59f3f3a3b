package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The common part of the wide Vector API micro-kernels ({@link SixRowMicroKernel},
 * {@link EightRowMicroKernel}): tiles of more than four rows by two vectors, whose k-step is cut into
 * groups of rows by a branch that is never taken.
 *
 * <p>Why the branch: C2 issues all the A broadcasts of a step before the first FMA, so a plain 6-row
 * tile needs 12 accumulators + 2 B vectors + 6 broadcasts = 20 registers, and on the 16 AVX2
 * registers it keeps an accumulator on the stack (a load, an FMA and a store per step on one
 * dependency chain). Ending each group of rows with {@code if (p == never + i) throw
 * unreachable(<that group's accumulators>)} makes the accumulators part of the deoptimisation state
 * of the branch, so their FMAs must be done before it, and the next group's broadcasts cannot be
 * hoisted above it: at most two broadcasts are live at once. {@code never} is read from a field that
 * C2 cannot fold, and holds {@link Integer#MIN_VALUE}, which no step index reaches. A plain throw, a
 * field store or a call in the rare path does not pin the FMAs (C2 sinks them below the branch).
 *
 * <p>More rows give more independent FMA chains (12 or 16 instead of 8), which keeps a core fed when
 * the FMA latency is not hidden, e.g. when a sibling hardware thread takes half the issue slots.
 * Everything else follows {@link VectorMicroKernel}: alpha is folded into the packed B, the
 * overwrite and accumulate cases are separate methods, and the packing of B is shared with it
 * (same NR). The in-place paths of {@link Sgemm} use {@link #inPlaceKernel()}.
 */
abstract class PinnedRowsMicroKernel implements MicroKernel {

    /** Packs B (the same sliver width) and serves the paths that read A in place. */
    private final VectorMicroKernel narrow = new VectorMicroKernel();

    /**
     * The step index at which the pinning branches would be taken: never, since it is negative. A
     * field, not a constant, so that C2 cannot prove the branches dead and drop them.
     */
    protected final int never;

    PinnedRowsMicroKernel() {
        this.never = Integer.MIN_VALUE;
    }

    @Override
    public final int nr() {
        return VectorMicroKernel.NR;
    }

    /** The 4-row kernel, unless a subclass reads A in place with its own tile. */
    @Override
    public MicroKernel inPlaceKernel() {
        return narrow;
    }

    @Override
    public final void packRowsB(int kc, float alpha, float[] b, int src, int ldb, float[] bp, int dst) {
        narrow.packRowsB(kc, alpha, b, src, ldb, bp, dst);
    }

    @Override
    public final void packColumnsB(int kc, float alpha, float[] b, int src, int ldb, float[] bp, int dst) {
        narrow.packColumnsB(kc, alpha, b, src, ldb, bp, dst);
    }

    /**
     * The rare path of a pinning branch; never reached. Taking the accumulators as arguments is what
     * pins their FMAs above the branch.
     */
    static IllegalStateException unreachable(FloatVector... accumulators) {
        return new IllegalStateException("micro-kernel sentinel reached with " + accumulators.length + " accumulators");
    }
}
