package dev.myelin.cpu;

import dev.myelin.spi.Activation;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.UpdateRule;
import java.util.Arrays;

/**
 * The arguments of one {@link CpuBackend} kernel call that is split across threads, held in reusable
 * fields so that the split allocates nothing. A {@link SplitDispatch} sets the fields its task reads,
 * runs the task, then calls {@link #clearArrays}. The generic names ({@code x, y, z, w, v}, {@code alpha},
 * {@code beta}) take each kernel's arguments in the order of its signature.
 */
final class SplitArguments {

    /** Enough slot arrays for the rule with the most optimizer state. */
    static final int MAX_SLOTS = Arrays.stream(UpdateRule.values()).mapToInt(UpdateRule::slots).max().orElse(0);

    Activation f;
    BinaryOp op;
    Reduction r;
    Distribution distribution;
    ElementLoss elementLoss;
    RowLoss rowLoss;
    UpdateRule rule;
    float alpha;
    float beta;
    /** A kernel's second parameter (the balanced focal loss's alpha). */
    float param2;
    long seed;
    boolean flag;
    int rows;
    int cols;
    float[] x;
    float[] y;
    float[] z;
    float[] w;
    float[] v;
    float[] coefficients;
    /** The optimizer step's clipping and decay (see {@link OptimizerUpdates}); owned here, refilled per call. */
    final float[] pre = new float[4];
    final float[][] slots = new float[MAX_SLOTS][];
    /** One partial result per part (a reduction over all elements); sized by {@link ReductionDispatch}. */
    double[] partials;

    /** Drops every array reference, so that a finished call keeps no tensor's data alive. */
    void clearArrays() {
        x = null;
        y = null;
        z = null;
        w = null;
        v = null;
        coefficients = null;
        Arrays.fill(slots, null);
    }
}
