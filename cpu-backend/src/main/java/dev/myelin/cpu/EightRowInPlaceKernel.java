package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 8-row tile of {@link EightRowMicroKernel} reading A in place, for the narrow-C paths of
 * {@link Sgemm} that skip packing A: {@link #tileRowsA} (A stored as is, row {@code r} of the sliver at
 * {@code a[aOff + r*lda ..]}) and {@link #tileColumnsA} (A stored transposed, step {@code p} at
 * {@code a[aOff + p*lda ..]}); packed slivers (the partial last one) go to the packed kernel. The rows
 * are pinned in groups of two as in {@link PinnedRowsMicroKernel}.
 *
 * <p>Measured on a 2-core AVX-512 Xeon, JDK 25, in one JVM alternating with the 4-row in-place kernel
 * (ratios of 12 paired slices, median [quartiles]): 128x784.784x256 1.22 [1.08, 1.26] on one thread and
 * 1.32 [1.21, 1.51] on two, 128x256.256x128 1.15 [1.11, 1.18] on one; 1024^3 and 2048^3 on two threads,
 * whose pieces of 128-256 columns take the in-place path, 1.26 [1.18, 1.32] and 1.21 [1.17, 1.39].
 */
final class EightRowInPlaceKernel extends PinnedRowsMicroKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = EightRowMicroKernel.MR;
    static final int NR = 2 * L;

    private final EightRowMicroKernel packed;

    EightRowInPlaceKernel(EightRowMicroKernel packed) {
        this.packed = packed;
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public MicroKernel inPlaceKernel() {
        return this;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta) {
        packed.tile(kc, a, aOff, b, bOff, c, cOff, ldc, beta);
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

    /** {@code overwrite} with A read in place, row {@code r} at {@code a[aOff + r*lda ..]}. */
    private void overwriteRowsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff,
            float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int sentinel = never;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0 * lda]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1 * lda]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            if (p == sentinel) {
                throw unreachable(c00, c01, c10, c11);
            }
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            if (p == sentinel + 1) {
                throw unreachable(c20, c21, c30, c31);
            }
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4 * lda]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5 * lda]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            if (p == sentinel + 2) {
                throw unreachable(c40, c41, c50, c51);
            }
            FloatVector a6 = FloatVector.broadcast(S, a[ai + 6 * lda]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + 7 * lda]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + L);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }

    /** {@code accumulate} with A read in place. */
    private void accumulateRowsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff,
            float[] c, int cOff, int ldc, float beta) {
        FloatVector vb = FloatVector.broadcast(S, beta);
        FloatVector c00 = vb.mul(FloatVector.fromArray(S, c, cOff + 0 * ldc));
        FloatVector c01 = vb.mul(FloatVector.fromArray(S, c, cOff + 0 * ldc + L));
        FloatVector c10 = vb.mul(FloatVector.fromArray(S, c, cOff + 1 * ldc));
        FloatVector c11 = vb.mul(FloatVector.fromArray(S, c, cOff + 1 * ldc + L));
        FloatVector c20 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc));
        FloatVector c21 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc + L));
        FloatVector c30 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc));
        FloatVector c31 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc + L));
        FloatVector c40 = vb.mul(FloatVector.fromArray(S, c, cOff + 4 * ldc));
        FloatVector c41 = vb.mul(FloatVector.fromArray(S, c, cOff + 4 * ldc + L));
        FloatVector c50 = vb.mul(FloatVector.fromArray(S, c, cOff + 5 * ldc));
        FloatVector c51 = vb.mul(FloatVector.fromArray(S, c, cOff + 5 * ldc + L));
        FloatVector c60 = vb.mul(FloatVector.fromArray(S, c, cOff + 6 * ldc));
        FloatVector c61 = vb.mul(FloatVector.fromArray(S, c, cOff + 6 * ldc + L));
        FloatVector c70 = vb.mul(FloatVector.fromArray(S, c, cOff + 7 * ldc));
        FloatVector c71 = vb.mul(FloatVector.fromArray(S, c, cOff + 7 * ldc + L));
        int sentinel = never;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0 * lda]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1 * lda]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            if (p == sentinel) {
                throw unreachable(c00, c01, c10, c11);
            }
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            if (p == sentinel + 1) {
                throw unreachable(c20, c21, c30, c31);
            }
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4 * lda]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5 * lda]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            if (p == sentinel + 2) {
                throw unreachable(c40, c41, c50, c51);
            }
            FloatVector a6 = FloatVector.broadcast(S, a[ai + 6 * lda]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + 7 * lda]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + L);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }

    /** {@code overwrite} with A read in place from its transpose, step {@code p} at {@code a[aOff + p*lda ..]}. */
    private void overwriteColumnsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff,
            float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int sentinel = never;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * lda;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            if (p == sentinel) {
                throw unreachable(c00, c01, c10, c11);
            }
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            if (p == sentinel + 1) {
                throw unreachable(c20, c21, c30, c31);
            }
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            if (p == sentinel + 2) {
                throw unreachable(c40, c41, c50, c51);
            }
            FloatVector a6 = FloatVector.broadcast(S, a[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + L);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }

    /** {@code accumulate} with A read in place from its transpose. */
    private void accumulateColumnsA(int kc, float[] a, int aOff, int lda, float[] b, int bOff,
            float[] c, int cOff, int ldc, float beta) {
        FloatVector vb = FloatVector.broadcast(S, beta);
        FloatVector c00 = vb.mul(FloatVector.fromArray(S, c, cOff + 0 * ldc));
        FloatVector c01 = vb.mul(FloatVector.fromArray(S, c, cOff + 0 * ldc + L));
        FloatVector c10 = vb.mul(FloatVector.fromArray(S, c, cOff + 1 * ldc));
        FloatVector c11 = vb.mul(FloatVector.fromArray(S, c, cOff + 1 * ldc + L));
        FloatVector c20 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc));
        FloatVector c21 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc + L));
        FloatVector c30 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc));
        FloatVector c31 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc + L));
        FloatVector c40 = vb.mul(FloatVector.fromArray(S, c, cOff + 4 * ldc));
        FloatVector c41 = vb.mul(FloatVector.fromArray(S, c, cOff + 4 * ldc + L));
        FloatVector c50 = vb.mul(FloatVector.fromArray(S, c, cOff + 5 * ldc));
        FloatVector c51 = vb.mul(FloatVector.fromArray(S, c, cOff + 5 * ldc + L));
        FloatVector c60 = vb.mul(FloatVector.fromArray(S, c, cOff + 6 * ldc));
        FloatVector c61 = vb.mul(FloatVector.fromArray(S, c, cOff + 6 * ldc + L));
        FloatVector c70 = vb.mul(FloatVector.fromArray(S, c, cOff + 7 * ldc));
        FloatVector c71 = vb.mul(FloatVector.fromArray(S, c, cOff + 7 * ldc + L));
        int sentinel = never;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * lda;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            if (p == sentinel) {
                throw unreachable(c00, c01, c10, c11);
            }
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            if (p == sentinel + 1) {
                throw unreachable(c20, c21, c30, c31);
            }
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            if (p == sentinel + 2) {
                throw unreachable(c40, c41, c50, c51);
            }
            FloatVector a6 = FloatVector.broadcast(S, a[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + L);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }
}
