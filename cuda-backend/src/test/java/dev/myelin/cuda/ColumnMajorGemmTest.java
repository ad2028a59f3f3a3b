package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The row-major to column-major operand swap, checked by running the column-major call it yields
 * through a Java model of column-major SGEMM (what cuBLAS computes, reading the same flat buffers)
 * and comparing with a float64 row-major reference.
 */
class ColumnMajorGemmTest {

    static Stream<Arguments> shapes() {
        int[][] mkn = {{1, 1, 1}, {1, 7, 1}, {7, 1, 1}, {1, 1, 33}, {7, 5, 3}, {33, 17, 9}, {3, 127, 2},
            {127, 3, 65}, {64, 64, 64}, {2, 1000, 3}};
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] s : mkn) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    b.add(Arguments.of(s[0], s[1], s[2], ta, tb));
                }
            }
        }
        return b.build();
    }

    /** Column-major SGEMM as cuBLAS defines it: C = alpha op(A) op(B) + beta C, C is m x n with leading dim ldc. */
    static void columnMajorSgemm(ColumnMajorGemm g, float alpha, float[] first, float[] second, float beta, float[] c) {
        // cuBLAS rejects leading dimensions smaller than the stored matrix's row count.
        assertTrue(g.ldFirst() >= Math.max(1, g.transFirst() ? g.k() : g.m()), "lda " + g);
        assertTrue(g.ldSecond() >= Math.max(1, g.transSecond() ? g.n() : g.k()), "ldb " + g);
        assertTrue(g.ldc() >= Math.max(1, g.m()), "ldc " + g);
        for (int j = 0; j < g.n(); j++) {
            for (int i = 0; i < g.m(); i++) {
                double s = 0;
                for (int l = 0; l < g.k(); l++) {
                    double a = g.transFirst() ? first[l + i * g.ldFirst()] : first[i + l * g.ldFirst()];
                    double bv = g.transSecond() ? second[j + l * g.ldSecond()] : second[l + j * g.ldSecond()];
                    s += a * bv;
                }
                int at = i + j * g.ldc();
                c[at] = beta == 0 ? (float) (alpha * s) : (float) (alpha * s + beta * c[at]);
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("shapes")
    void swapComputesTheRowMajorProduct(int m, int n, int k, boolean transA, boolean transB) {
        Random r = new Random(31L * m + 17L * n + k + (transA ? 5 : 0) + (transB ? 11 : 0));
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        float[] a = random(r, aRows * aCols);
        float[] b = random(r, bRows * bCols);
        float[] c = random(r, m * n);
        float alpha = 1.25f;
        float beta = -0.5f;

        double[] ref = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                    double av = transA ? a[l * aCols + i] : a[i * aCols + l];
                    double bv = transB ? b[j * bCols + l] : b[l * bCols + j];
                    s += av * bv;
                }
                ref[i * n + j] = alpha * s + beta * c[i * n + j];
            }
        }

        ColumnMajorGemm g = ColumnMajorGemm.forRowMajor(transA, transB, aRows, aCols, bRows, bCols);
        assertEquals(n, g.m());
        assertEquals(m, g.n());
        assertEquals(k, g.k());
        assertEquals(transB, g.transFirst());
        assertEquals(transA, g.transSecond());
        assertEquals(bCols, g.ldFirst());
        assertEquals(aCols, g.ldSecond());
        assertEquals(n, g.ldc());
        float[] out = c.clone();
        columnMajorSgemm(g, alpha, b, a, beta, out);
        double err = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            err += (out[i] - ref[i]) * (out[i] - ref[i]);
            norm += ref[i] * ref[i];
        }
        assertTrue(Math.sqrt(err) <= 1e-6 * Math.sqrt(norm) + 1e-7, "relative error " + Math.sqrt(err / norm));
    }

    @Test
    void mismatchedInnerDimensionsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ColumnMajorGemm.forRowMajor(false, false, 2, 3, 4, 5));
        assertTrue(e.getMessage().contains("op(a) is [2 x 3] and op(b) is [4 x 5]"), e.getMessage());
    }
}
