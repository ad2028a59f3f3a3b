package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API GEMM micro-kernel: a 4-row by 2-vector tile (4 x 16 floats with AVX2, 4 x 32 with
 * AVX-512). Eight accumulators plus two B vectors and one broadcast A value stay in registers (11
 * live vectors: below the ~13 where C2 starts spilling on the 16 AVX2 registers). Each step loads
 * two vectors of B and four scalars of A for eight FMAs.
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
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float alpha,
            float beta) {
        // Zeros made here, not in a static final field: a constant vector made C2 allocate per step.
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++) {
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
            ai += MR;
            bi += NR;
        }
        store(c, cOff, alpha, beta, c00, c01);
        store(c, cOff + ldc, alpha, beta, c10, c11);
        store(c, cOff + 2 * ldc, alpha, beta, c20, c21);
        store(c, cOff + 3 * ldc, alpha, beta, c30, c31);
    }

    private static void store(float[] c, int o, float alpha, float beta, FloatVector v0, FloatVector v1) {
        if (beta == 0f) {
            v0.mul(alpha).intoArray(c, o);
            v1.mul(alpha).intoArray(c, o + L);
        } else {
            FloatVector.fromArray(S, c, o).mul(beta).add(v0.mul(alpha)).intoArray(c, o);
            FloatVector.fromArray(S, c, o + L).mul(beta).add(v1.mul(alpha)).intoArray(c, o + L);
        }
    }
}
