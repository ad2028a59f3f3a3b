package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/** Double-precision references and the relative-error check the CPU tests share. */
final class Reference {

    private Reference() {
    }

    static float[] random(int n, long seed, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    /** ||out - ref|| / ||ref||. */
    static double relativeError(float[] out, double[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = out[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    static void assertClose(String what, float[] out, double[] ref, double tol) {
        for (int i = 0; i < ref.length; i++) {
            if (Double.isFinite(ref[i])) {
                assertTrue(Float.isFinite(out[i]), what + ": element " + i + " is " + out[i] + ", expected " + ref[i]);
            }
        }
        double e = relativeError(out, ref);
        assertTrue(e <= tol, what + ": relative error " + e + " > " + tol);
    }

    /** C = alpha op(A) op(B) + beta C in double. */
    static double[] gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta,
            float[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[p * m + i] : a[i * k + p];
                    double bv = tb ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                out[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * (double) c[i * n + j]);
            }
        }
        return out;
    }
}
