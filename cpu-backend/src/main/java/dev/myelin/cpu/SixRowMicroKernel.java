package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 6-row by 2-vector tile (6 x 16 floats with AVX2, 6 x 32 with AVX-512), 12 accumulators, the rows
 * pinned in groups of two (see {@link PinnedRowsMicroKernel}): 12 + 2 B vectors + 2 broadcasts = 16
 * live vectors, which fits the 16 AVX2 registers without a spill.
 *
 * <p>With {@code -XX:UseAVX=2} (16 registers) its compiled loop holds 12 FMAs, 6 broadcasts and 2 loads
 * of B and no vector load or store on the stack, where the 8-row tile keeps 5 vectors on the stack
 * (1024^3, one thread, one JVM: 8-row / 6-row 0.85).
 */
final class SixRowMicroKernel extends PinnedRowsMicroKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta) {
        if (beta == 0f) {
            overwrite(kc, a, aOff, b, bOff, c, cOff, ldc);
        } else {
            accumulate(kc, a, aOff, b, bOff, c, cOff, ldc, beta);
        }
    }

    /** {@code C = A B}; C is not read. */
    private void overwrite(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int sentinel = never;
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
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
    }

    /** {@code C = A B + beta C}. */
    private void accumulate(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta) {
        FloatVector vb = FloatVector.broadcast(S, beta);
        FloatVector c00 = vb.mul(FloatVector.fromArray(S, c, cOff));
        FloatVector c01 = vb.mul(FloatVector.fromArray(S, c, cOff + L));
        FloatVector c10 = vb.mul(FloatVector.fromArray(S, c, cOff + ldc));
        FloatVector c11 = vb.mul(FloatVector.fromArray(S, c, cOff + ldc + L));
        FloatVector c20 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc));
        FloatVector c21 = vb.mul(FloatVector.fromArray(S, c, cOff + 2 * ldc + L));
        FloatVector c30 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc));
        FloatVector c31 = vb.mul(FloatVector.fromArray(S, c, cOff + 3 * ldc + L));
        FloatVector c40 = vb.mul(FloatVector.fromArray(S, c, cOff + 4 * ldc));
        FloatVector c41 = vb.mul(FloatVector.fromArray(S, c, cOff + 4 * ldc + L));
        FloatVector c50 = vb.mul(FloatVector.fromArray(S, c, cOff + 5 * ldc));
        FloatVector c51 = vb.mul(FloatVector.fromArray(S, c, cOff + 5 * ldc + L));
        int sentinel = never;
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
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
    }
}
