package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
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
     * 8 x 8 register transposes ({@link Transpose8}) where the scalar loop makes a strided store per
     * float (dX = dY W^T at 128x256.256x784: 1.09x on one thread, 1.12x on two, in one JVM). With
     * AVX-512 (NR = 32) a sliver is four blocks wide; with 128-bit vectors the scalar loop stays.
     */
    @Override
    public void packColumnsB(int kc, float alpha, float[] b, int src, int ldb, float[] bp, int dst) {
        if (!Transpose8.FITS) {
            MicroKernel.super.packColumnsB(kc, alpha, b, src, ldb, bp, dst);
            return;
        }
        int blocks = kc / 8 * 8;
        for (int p = 0; p < blocks; p += 8) {
            for (int j = 0; j < NR; j += 8) {
                Transpose8.scaled(alpha, b, src + j * ldb + p, ldb, bp, dst + p * NR + j, NR);
            }
        }
        for (int j = 0; j < NR; j++) {
            int s = src + j * ldb;
            for (int p = blocks; p < kc; p++) {
                bp[dst + j + p * NR] = alpha * b[s + p];
            }
        }
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
