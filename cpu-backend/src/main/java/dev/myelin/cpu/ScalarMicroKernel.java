package dev.myelin.cpu;

/**
 * The GEMM micro-kernel of the scalar path: a 4x4 tile kept in 16 local accumulators (they fit the
 * 16 floating-point registers of x86-64, so C2 keeps them out of memory).
 */
final class ScalarMicroKernel implements MicroKernel {

    @Override
    public int mr() {
        return 4;
    }

    @Override
    public int nr() {
        return 4;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float beta) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 4, bi += 4) {
            float b0 = b[bi], b1 = b[bi + 1], b2 = b[bi + 2], b3 = b[bi + 3];
            float a0 = a[ai];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            float a1 = a[ai + 1];
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            float a2 = a[ai + 2];
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            float a3 = a[ai + 3];
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        store(c, cOff, beta, c00, c01, c02, c03);
        store(c, cOff + ldc, beta, c10, c11, c12, c13);
        store(c, cOff + 2 * ldc, beta, c20, c21, c22, c23);
        store(c, cOff + 3 * ldc, beta, c30, c31, c32, c33);
    }

    private static void store(float[] c, int o, float beta, float v0, float v1, float v2, float v3) {
        if (beta == 0f) {
            c[o] = v0;
            c[o + 1] = v1;
            c[o + 2] = v2;
            c[o + 3] = v3;
        } else {
            c[o] = v0 + beta * c[o];
            c[o + 1] = v1 + beta * c[o + 1];
            c[o + 2] = v2 + beta * c[o + 2];
            c[o + 3] = v3 + beta * c[o + 3];
        }
    }
}
