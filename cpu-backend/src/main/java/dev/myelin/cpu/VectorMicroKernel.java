package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 4-row Vector API GEMM micro-kernel: a 4-row by 2-vector tile (4 x 16 floats with AVX2, 4 x 32 with
 * AVX-512). Eight accumulators plus two B vectors and one broadcast A value stay in registers (11
 * live vectors). It serves the paths of {@link Sgemm} that read A in place and species without a wider
 * tile; the packed path uses the wider tiles of {@link PinnedRowsMicroKernel} where they fit. Plain
 * wider tiles spill on AVX2 (Zen 3, one thread, GFLOP/s, each in its own JVM): 1024^3 4x16 48.5, 6x16
 * 36.9, 4x24 29.3, because C2 issues all the A broadcasts of a step before the first FMA, so 5x16 and
 * 6x16 need 17 and 19 vector registers and keep one accumulator on the stack; the pinned row groups
 * of {@link PinnedRowsMicroKernel} avoid that. The 4x16 loop compiles to 8 FMAs, 2 loads of B and 4
 * broadcasts with no bounds checks; it is not unrolled.
 *
 * <p>The accumulating kernels start from {@code beta * C} and end with a plain store: an epilogue
 * {@code alpha * acc + beta * C} made C2 box the accumulators, 192 bytes a call (alpha is folded into
 * the packed B by {@link Sgemm}).
 *
 * <p>{@link #tileRowsA} and {@link #tileColumnsA} read A in place (stored as is, or transposed), so
 * that {@link Sgemm} can skip packing A for narrow C, where packing cost about as much as the
 * multiply-adds (see {@link Sgemm#IN_PLACE_A_MAX_COLUMNS}).
 *
 * <p>Shaped for C2: the overwrite ({@code beta == 0}) and accumulate cases are separate methods, so
 * neither is recompiled with the other's branch (that recompilation produced slower code); loop
 * indices are linear in the loop counter so bounds checks are hoisted; accumulators start from
 * zeros made inside the method (a {@code static final} zero vector made C2 allocate); and every
 * operation on an accumulator has a freshly made vector as its receiver, because C2 types the loop
 * phis as the abstract {@code FloatVector} and a virtual call on them is neither inlined nor
 * intrinsified.
 */
final class VectorMicroKernel implements MicroKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The species of the 8 x 8 transposes that pack a transposed B. */
    private static final VectorSpecies<Float> E = FloatVector.SPECIES_256;
    /** Lane i takes lane i ^ h: the partner lane in the transpose round of distance h. */
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(E, i -> i ^ 4);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(E, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(E, i -> i ^ 1);
    /** The lanes with bit h set. */
    private static final VectorMask<Float> ODD4 = VectorMask.fromLong(E, 0xF0);
    private static final VectorMask<Float> ODD2 = VectorMask.fromLong(E, 0xCC);
    private static final VectorMask<Float> ODD1 = VectorMask.fromLong(E, 0xAA);
    static final int MR = 4;
    static final int NR = 2 * L;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
            float beta) {
        if (beta == 0f) {
            overwrite(kc, a, aOff, b, bOff, c, cOff, ldc);
        } else {
            accumulate(kc, a, aOff, b, bOff, c, cOff, ldc, beta);
        }
    }

    @Override
    public boolean readsAInPlace() {
        return true;
    }

    @Override
    public void tileRowsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc,
            float beta) {
        if (beta == 0f) {
            overwriteRowsA(kc, a, aOff, lda, b, bOff, c, cOff, ldc);
        } else {
            accumulateRowsA(kc, a, aOff, lda, b, bOff, c, cOff, ldc, beta);
        }
    }

    @Override
    public void tileColumnsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc,
            float beta) {
        if (beta == 0f) {
            overwriteColumnsA(kc, a, aOff, lda, b, bOff, c, cOff, ldc);
        } else {
            accumulateColumnsA(kc, a, aOff, lda, b, bOff, c, cOff, ldc, beta);
        }
    }

    /** Two vector copies a row where {@code System.arraycopy} of 16 floats paid a stub call each. */
    @Override
    public void packRowsB(int kc, float alpha, float[] b, int src, int ldb, float[] bp, int dst) {
        for (int p = 0; p < kc; p++) {
            int s = src + p * ldb;
            int d = dst + p * NR;
            FloatVector.fromArray(S, b, s).mul(alpha).intoArray(bp, d);
            FloatVector.fromArray(S, b, s + L).mul(alpha).intoArray(bp, d + L);
        }
    }

    /**
     * Transposes 8 x 8 blocks in registers: eight source rows of 8 steps in, eight packed rows out,
     * 48 vector operations for 64 floats where the scalar loop makes 64 loads and 64 strided
     * stores (dX = dY W^T at 128x256.256x784: 1.09x on one thread, 1.12x on two, in one JVM). The
     * shuffles and masks are constants because made per call they allocated, 300 bytes a sliver.
     * Blocks use the 256-bit species whatever the preferred one, so with AVX-512 (NR = 32) a
     * sliver is four blocks wide; with 128-bit vectors (NR = 8) 256-bit operations would be emulated,
     * so that case keeps the scalar loop.
     */
    @Override
    public void packColumnsB(int kc, float alpha, float[] b, int src, int ldb, float[] bp, int dst) {
        if (L < 8) {
            MicroKernel.super.packColumnsB(kc, alpha, b, src, ldb, bp, dst);
            return;
        }
        int blocks = kc / 8 * 8;
        for (int p = 0; p < blocks; p += 8) {
            for (int j = 0; j < NR; j += 8) {
                transpose8(alpha, b, src + j * ldb + p, ldb, bp, dst + p * NR + j);
            }
        }
        for (int j = 0; j < NR; j++) {
            int s = src + j * ldb;
            for (int p = blocks; p < kc; p++) {
                bp[dst + j + p * NR] = alpha * b[s + p];
            }
        }
    }

    /**
     * {@code bp[d + q*NR + r] = alpha * b[s + r*ldb + q]} for r, q in [0, 8): three rounds that swap
     * the off-diagonal 4x4, 2x2 and 1x1 blocks; in the round of distance h, rows r and r + h trade
     * lanes: row r takes row r+h's lanes i - h where bit h of i is set, and row r+h takes row r's
     * lanes i + h where it is clear. Written out line by line: routing the blend-of-rearrange through a
     * helper method boxed the vectors (2.6 MB allocated per 128x256.256x784 NT GEMM, 0.67x).
     */
    private static void transpose8(float alpha, float[] b, int s, int ldb, float[] bp, int d) {
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
        u1.blend(u0.rearrange(SWAP1), ODD1.not()).intoArray(bp, d + NR);
        u2.blend(u3.rearrange(SWAP1), ODD1).intoArray(bp, d + 2 * NR);
        u3.blend(u2.rearrange(SWAP1), ODD1.not()).intoArray(bp, d + 3 * NR);
        u4.blend(u5.rearrange(SWAP1), ODD1).intoArray(bp, d + 4 * NR);
        u5.blend(u4.rearrange(SWAP1), ODD1.not()).intoArray(bp, d + 5 * NR);
        u6.blend(u7.rearrange(SWAP1), ODD1).intoArray(bp, d + 6 * NR);
        u7.blend(u6.rearrange(SWAP1), ODD1.not()).intoArray(bp, d + 7 * NR);
    }

    /** One 4-float vector a step (MR is 4 on every species). */
    @Override
    public void packColumnsA(int kc, float[] a, int src, int lda, float[] ap, int dst) {
        for (int p = 0; p < kc; p++) {
            FloatVector.fromArray(FloatVector.SPECIES_128, a, src + p * lda).intoArray(ap, dst + p * MR);
        }
    }

    /** {@code C = A B}; C is not read. */
    private static void overwrite(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        store(c, cOff, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
    }

    /** {@code C = A B + beta C}. */
    private static void accumulate(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
            float beta) {
        FloatVector vb = FloatVector.broadcast(S, beta);
        FloatVector c00 = vb.mul(FloatVector.fromArray(S, c, cOff));
        FloatVector c01 = vb.mul(FloatVector.fromArray(S, c, cOff + L));
        FloatVector c10 = vb.mul(FloatVector.fromArray(S, c, cOff + ldc));
        FloatVector c11 = vb.mul(FloatVector.fromArray(S, c, cOff + ldc + L));
        FloatVector c20 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc));
        FloatVector c21 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc + L));
        FloatVector c30 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc));
        FloatVector c31 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc + L));
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        store(c, cOff, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
    }

    /** {@link #overwrite} with A read in place, row {@code r} at {@code a[aOff + r*lda ..]}. */
    private static void overwriteRowsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + lda]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        store(c, cOff, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
    }

    /** {@link #accumulate} with A read in place. */
    private static void accumulateRowsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc,
            float beta) {
        FloatVector vb = FloatVector.broadcast(S, beta);
        FloatVector c00 = vb.mul(FloatVector.fromArray(S, c, cOff));
        FloatVector c01 = vb.mul(FloatVector.fromArray(S, c, cOff + L));
        FloatVector c10 = vb.mul(FloatVector.fromArray(S, c, cOff + ldc));
        FloatVector c11 = vb.mul(FloatVector.fromArray(S, c, cOff + ldc + L));
        FloatVector c20 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc));
        FloatVector c21 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc + L));
        FloatVector c30 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc));
        FloatVector c31 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc + L));
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + lda]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        store(c, cOff, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
    }

    /** {@link #overwrite} with A read in place from its transpose, step {@code p} at {@code a[aOff + p*lda ..]}. */
    private static void overwriteColumnsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * lda;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        store(c, cOff, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
    }

    /** {@link #accumulate} with A read in place from its transpose. */
    private static void accumulateColumnsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff, int ldc,
            float beta) {
        FloatVector vb = FloatVector.broadcast(S, beta);
        FloatVector c00 = vb.mul(FloatVector.fromArray(S, c, cOff));
        FloatVector c01 = vb.mul(FloatVector.fromArray(S, c, cOff + L));
        FloatVector c10 = vb.mul(FloatVector.fromArray(S, c, cOff + ldc));
        FloatVector c11 = vb.mul(FloatVector.fromArray(S, c, cOff + ldc + L));
        FloatVector c20 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc));
        FloatVector c21 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc + L));
        FloatVector c30 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc));
        FloatVector c31 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc + L));
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * lda;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        store(c, cOff, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
    }

    /** Writes the eight accumulators to the tile at {@code c[cOff]}. */
    private static void store(float[] c, int cOff, int ldc, FloatVector c00, FloatVector c01, FloatVector c10,
            FloatVector c11, FloatVector c20, FloatVector c21, FloatVector c30, FloatVector c31) {
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
    }
}
