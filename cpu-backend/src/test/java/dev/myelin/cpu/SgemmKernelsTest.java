package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Sgemm} with every Vector API micro-kernel, whichever one this machine's species selects, against
 * a float64 reference: shapes whose rows and columns leave partial tiles for each tile height (4, 6 and 8
 * rows), the layer sizes 64/128/256/512/784, every transpose combination, and the alpha/beta cases
 * (beta 0 must not read C, so a C full of NaN must not leak).
 */
class SgemmKernelsTest {

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {-2f, 0f}, {1f, 1f}, {0.75f, -0.5f}};

    static Stream<Arguments> cases() {
        // {m, n, k}: partial row slivers for MR 4/6/8, partial column slivers for NR 16/32, k of 1, of one
        // depth block, and of several (784 = three equal blocks).
        int[][] shapes = {{1, 1, 1}, {13, 37, 5}, {6, 32, 1}, {64, 64, 64}, {127, 129, 130}, {128, 256, 784},
            {256, 128, 512}, {784, 256, 128}, {130, 784, 256}, {9, 31, 769}};
        Stream.Builder<Arguments> b = Stream.builder();
        for (String kernel : new String[] {"4-row", "6-row", "8-row"}) {
            for (int threads : new int[] {1, 2}) {
                for (int[] s : shapes) {
                    for (int t = 0; t < 4; t++) {
                        b.add(Arguments.of(kernel, threads, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
                    }
                }
            }
        }
        return b.build();
    }

    private static Supplier<MicroKernel> kernelNamed(String name) {
        return switch (name) {
            case "4-row" -> VectorMicroKernel::new;
            case "6-row" -> SixRowMicroKernel::new;
            case "8-row" -> EightRowMicroKernel::new;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0} threads={1} m={2} n={3} k={4} transA={5} transB={6}")
    @MethodSource("cases")
    void matchesDoubleReference(String kernel, int threads, int m, int n, int k, boolean ta, boolean tb) {
        MicroKernel mk = kernelNamed(kernel).get();
        try (Parallel parallel = new Parallel(threads)) {
            Sgemm sgemm = new Sgemm(mk, parallel);
            float[] a = Reference.random(m * k, 11 + m, -1, 1);
            float[] b = Reference.random(k * n, 12 + n, -1, 1);
            float[] c0 = Reference.random(m * n, 13 + k, -1, 1);
            for (float[] ab : ALPHA_BETA) {
                float alpha = ab[0];
                float beta = ab[1];
                float[] c = beta == 0f ? nans(m * n) : c0.clone();
                sgemm.gemm(ta, tb, m, n, k, alpha, a, ta ? m : k, b, tb ? k : n, beta, c);
                String what = mk.mr() + "x" + mk.nr() + " alpha=" + alpha + " beta=" + beta;
                for (float v : c) {
                    assertFalse(Float.isNaN(v), what + ": NaN in C");
                }
                Reference.assertClose(what, c, Reference.gemm(ta, tb, m, n, k, alpha, a, b, beta, c0), 2e-6);
            }
            assertEquals(mk.nr(), mk.inPlaceKernel().nr(), "the in-place kernel reads the same packed B");
        }
    }

    private static float[] nans(int size) {
        float[] v = new float[size];
        Arrays.fill(v, Float.NaN);
        return v;
    }
}
