package dev.myelin.cpu;

import dev.myelin.spi.Reduction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sums of {@link VectorKernels}: the lanes of one vector added in a fixed order, and the float sums
 * of whole vectors (plain, of absolute values, of squares) that its reductions add in double, block by
 * block.
 */
final class VectorSums {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorSums() {
    }

    /**
     * The sum of all lanes, always added in lane order. reduceLanes(ADD) may associate differently in
     * compiled and interpreted code, so a result depended on when the JIT compiled the loop, and two
     * trainings with the same seed drifted apart. The lane indices are constants and the receiver is a
     * fresh vector: with a variable index, or on a loop phi, C2 boxed the vector on every call.
     */
    static float sumLanes(FloatVector v) {
        FloatVector w = FloatVector.zero(S).add(v);
        float s = w.lane(0);
        if (L >= 2) {
            s = s + w.lane(1);
        }
        if (L >= 4) {
            s = s + w.lane(2) + w.lane(3);
        }
        if (L >= 8) {
            s = s + w.lane(4) + w.lane(5) + w.lane(6) + w.lane(7);
        }
        if (L >= 16) {
            s = s + w.lane(8) + w.lane(9) + w.lane(10) + w.lane(11) + w.lane(12) + w.lane(13) + w.lane(14) + w.lane(15);
        }
        return s;
    }

    /** Sum of terms over whole vectors {@code [from, to)}; one method per term keeps each loop small for C2. */
    static float sumBlock(Reduction r, float[] x, int from, int to) {
        return switch (r) {
            case SUM_ABS -> sumAbs(x, from, to);
            case SUM_SQUARES -> sumSquares(x, from, to);
            default -> sum(x, from, to);
        };
    }

    /**
     * The end of the whole groups of four vectors in {@code [from, to)}. The sums loop up to it rather
     * than test {@code i + 3 * L < to}: for that form C2 kept two range checks and a safepoint poll in
     * the body and did not unroll it, and a 16 MiB sum streamed 15.5 GB/s against 19.1 GB/s for the
     * counted loop (one thread, alternating in one JVM; the same loop in C read 19.4 GB/s of the same
     * Java array).
     */
    private static int quadBound(int from, int to) {
        return from + (to - from) / (4 * L) * (4 * L);
    }

    // Four accumulators hide the add latency (4 cycles) behind two loads a cycle; each update has the
    // freshly loaded vector as its receiver (a call on the loop phi would not be intrinsified).
    private static float sum(float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = from;
        for (int end = quadBound(from, to); i < end; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, i).add(s0);
            s1 = FloatVector.fromArray(S, x, i + L).add(s1);
            s2 = FloatVector.fromArray(S, x, i + 2 * L).add(s2);
            s3 = FloatVector.fromArray(S, x, i + 3 * L).add(s3);
        }
        for (; i < to; i += L) {
            s0 = FloatVector.fromArray(S, x, i).add(s0);
        }
        return sumLanes(FloatVector.zero(S).add(s0).add(s1).add(s2).add(s3));
    }

    private static float sumAbs(float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = from;
        for (int end = quadBound(from, to); i < end; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, i).abs().add(s0);
            s1 = FloatVector.fromArray(S, x, i + L).abs().add(s1);
            s2 = FloatVector.fromArray(S, x, i + 2 * L).abs().add(s2);
            s3 = FloatVector.fromArray(S, x, i + 3 * L).abs().add(s3);
        }
        for (; i < to; i += L) {
            s0 = FloatVector.fromArray(S, x, i).abs().add(s0);
        }
        return sumLanes(FloatVector.zero(S).add(s0).add(s1).add(s2).add(s3));
    }

    private static float sumSquares(float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = from;
        for (int end = quadBound(from, to); i < end; i += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, i);
            FloatVector v1 = FloatVector.fromArray(S, x, i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, i + 3 * L);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; i < to; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            s0 = v.fma(v, s0);
        }
        return sumLanes(FloatVector.zero(S).add(s0).add(s1).add(s2).add(s3));
    }
}
