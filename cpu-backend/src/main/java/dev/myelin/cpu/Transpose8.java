package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * An 8 x 8 transpose in 256-bit registers, the core of the packing copies that turn rows into
 * columns: a transposed B into NR-column slivers ({@link VectorMicroKernel#packColumnsB}) and a
 * row-major A into 8-row slivers ({@link EightRowMicroKernel#packRowsA}). Eight source rows of 8
 * values in, eight destination rows out: 48 vector operations for 64 floats where the scalar loop
 * makes 64 loads and 64 strided stores. The shuffles and masks are constants because made per call
 * they allocated, 300 bytes a sliver. Callers need 256-bit vectors ({@link #FITS}); with 128-bit
 * ones the operations would be emulated.
 */
final class Transpose8 {

    private static final VectorSpecies<Float> E = FloatVector.SPECIES_256;
    /** Whether the preferred vectors are at least 256 bits wide, so that these transposes are native. */
    static final boolean FITS = FloatVector.SPECIES_PREFERRED.length() >= 8;
    /** Lane i takes lane i ^ h: the partner lane in the transpose round of distance h. */
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(E, i -> i ^ 4);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(E, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(E, i -> i ^ 1);
    /** The lanes with bit h set. */
    private static final VectorMask<Float> ODD4 = VectorMask.fromLong(E, 0xF0);
    private static final VectorMask<Float> ODD2 = VectorMask.fromLong(E, 0xCC);
    private static final VectorMask<Float> ODD1 = VectorMask.fromLong(E, 0xAA);

    private Transpose8() {
    }

    /**
     * {@code bp[d + q*stride + r] = alpha * b[s + r*ldb + q]} for r, q in [0, 8): three rounds that swap
     * the off-diagonal 4x4, 2x2 and 1x1 blocks; in the round of distance h, rows r and r + h trade
     * lanes: row r takes row r+h's lanes i - h where bit h of i is set, and row r+h takes row r's
     * lanes i + h where it is clear. Written out line by line: routing the blend-of-rearrange through a
     * helper method boxed the vectors (2.6 MB allocated per 128x256.256x784 NT GEMM, 0.67x).
     */
    static void scaled(float alpha, float[] b, int s, int ldb, float[] bp, int d, int stride) {
        FloatVector r0 = FloatVector.fromArray(E, b, s).mul(alpha);
        FloatVector r1 = FloatVector.fromArray(E, b, s + ldb).mul(alpha);
        FloatVector r2 = FloatVector.fromArray(E, b, s + 2 * ldb).mul(alpha);
        FloatVector r3 = FloatVector.fromArray(E, b, s + 3 * ldb).mul(alpha);
        FloatVector r4 = FloatVector.fromArray(E, b, s + 4 * ldb).mul(alpha);
        FloatVector r5 = FloatVector.fromArray(E, b, s + 5 * ldb).mul(alpha);
        FloatVector r6 = FloatVector.fromArray(E, b, s + 6 * ldb).mul(alpha);
        FloatVector r7 = FloatVector.fromArray(E, b, s + 7 * ldb).mul(alpha);
        FloatVector t0 = r0.blend(r4.rearrange(SWAP4), ODD4);
        FloatVector t4 = r4.blend(r0.rearrange(SWAP4), ODD4.not());
        FloatVector t1 = r1.blend(r5.rearrange(SWAP4), ODD4);
        FloatVector t5 = r5.blend(r1.rearrange(SWAP4), ODD4.not());
        FloatVector t2 = r2.blend(r6.rearrange(SWAP4), ODD4);
        FloatVector t6 = r6.blend(r2.rearrange(SWAP4), ODD4.not());
        FloatVector t3 = r3.blend(r7.rearrange(SWAP4), ODD4);
        FloatVector t7 = r7.blend(r3.rearrange(SWAP4), ODD4.not());
        FloatVector u0 = t0.blend(t2.rearrange(SWAP2), ODD2);
        FloatVector u2 = t2.blend(t0.rearrange(SWAP2), ODD2.not());
        FloatVector u1 = t1.blend(t3.rearrange(SWAP2), ODD2);
        FloatVector u3 = t3.blend(t1.rearrange(SWAP2), ODD2.not());
        FloatVector u4 = t4.blend(t6.rearrange(SWAP2), ODD2);
        FloatVector u6 = t6.blend(t4.rearrange(SWAP2), ODD2.not());
        FloatVector u5 = t5.blend(t7.rearrange(SWAP2), ODD2);
        FloatVector u7 = t7.blend(t5.rearrange(SWAP2), ODD2.not());
        u0.blend(u1.rearrange(SWAP1), ODD1).intoArray(bp, d);
        u1.blend(u0.rearrange(SWAP1), ODD1.not()).intoArray(bp, d + stride);
        u2.blend(u3.rearrange(SWAP1), ODD1).intoArray(bp, d + 2 * stride);
        u3.blend(u2.rearrange(SWAP1), ODD1.not()).intoArray(bp, d + 3 * stride);
        u4.blend(u5.rearrange(SWAP1), ODD1).intoArray(bp, d + 4 * stride);
        u5.blend(u4.rearrange(SWAP1), ODD1.not()).intoArray(bp, d + 5 * stride);
        u6.blend(u7.rearrange(SWAP1), ODD1).intoArray(bp, d + 6 * stride);
        u7.blend(u6.rearrange(SWAP1), ODD1.not()).intoArray(bp, d + 7 * stride);
    }
}
