package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * An 8-row by 2-vector tile (8 x 32 floats with AVX-512), 16 accumulators, the rows pinned in groups
 * of two (see {@link PinnedRowsMicroKernel}): 16 + 2 B vectors + 2 broadcasts = 20 live vectors, for
 * the 32 registers of AVX-512 (on AVX2 it would spill).
 *
 * <p>Measured on a 2-core AVX-512 Xeon, JDK 25, one thread, in one JVM alternating with the 4-row tile
 * (ratios of 16 paired slices, median [quartiles]): 1024^3 1.22 [1.16, 1.29], 2048^3 1.09 [0.99, 1.22],
 * 784x128.128x256 TN 1.12 [0.94, 1.22]. The compiled loop holds 16 FMAs, 8 broadcasts and 2 loads of B,
 * and no vector load or store on the stack. Against it, on the same machine: the same tile without
 * the pinning branches 0.89, unrolled twice 1.01, four times 0.59; 12 rows in groups of three 1.12 at
 * 1024^3 but 0.97 at 784 rows, whose last sliver is partial.
 *
 * <p>The paths that read A in place use the same 8-row tile ({@link EightRowInPlaceKernel}).
 */
final class EightRowMicroKernel extends PinnedRowsMicroKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 8;
    static final int NR = 2 * L;

    private final EightRowInPlaceKernel inPlace = new EightRowInPlaceKernel(this);

    @Override
    public int mr() {
        return MR;
    }

    /** The 8-row tile reading A in place, rather than the 4-row kernel. */
    @Override
    public MicroKernel inPlaceKernel() {
        return inPlace;
    }

    /**
     * 8 x 8 register transposes ({@link Transpose8}; this tile is chosen only for 512-bit vectors),
     * the last {@code kc % 8} steps by the scalar loop.
     */
    @Override
    public void packRowsA(int kc, float[] a, int src, int lda, float[] ap, int dst) {
        int blocks = kc / 8 * 8;
        for (int p = 0; p < blocks; p += 8) {
            Transpose8.scaled(1f, a, src + p, lda, ap, dst + p * MR, MR);
        }
        for (int r = 0; r < MR; r++) {
            for (int p = blocks; p < kc; p++) {
                ap[dst + r + p * MR] = a[src + r * lda + p];
            }
        }
    }

    /** One 256-bit vector a step: the 8 values of a step are contiguous in a transposed A. */
    @Override
    public void packColumnsA(int kc, float[] a, int src, int lda, float[] ap, int dst) {
        for (int p = 0; p < kc; p++) {
            FloatVector.fromArray(FloatVector.SPECIES_256, a, src + p * lda).intoArray(ap, dst + p * MR);
        }
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
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
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
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
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
        FloatVector c60 = vb.mul(FloatVector.fromArray(S, c, cOff + 6 * ldc));
        FloatVector c61 = vb.mul(FloatVector.fromArray(S, c, cOff + 6 * ldc + L));
        FloatVector c70 = vb.mul(FloatVector.fromArray(S, c, cOff + 7 * ldc));
        FloatVector c71 = vb.mul(FloatVector.fromArray(S, c, cOff + 7 * ldc + L));
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
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }
}
