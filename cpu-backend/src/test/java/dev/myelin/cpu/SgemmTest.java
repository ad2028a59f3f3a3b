package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.myelin.spi.Tensor;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SgemmTest {

    static Stream<Arguments> cases() {
        int[][] shapes = {{1, 1, 1}, {7, 33, 127}, {33, 1, 1000}, {1, 300, 17}, {130, 65, 300}, {4, 16, 256},
            {129, 257, 513}, {128, 256, 784}, {300, 1030, 40}};
        Stream.Builder<Arguments> b = Stream.builder();
        for (int threads : new int[] {1, 2}) {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    b.add(Arguments.of(threads, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "threads={0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("cases")
    void matchesDoubleReference(int threads, int m, int n, int k, boolean ta, boolean tb) {
        try (CpuBackend cpu = new CpuBackend(threads)) {
            float[] a = Reference.random(m * k, 1 + m, -1, 1);
            float[] b = Reference.random(k * n, 2 + n, -1, 1);
            float[] c0 = Reference.random(m * n, 3 + k, -1, 1);
            Tensor ta0 = ta ? cpu.tensor(k, m, a) : cpu.tensor(m, k, a);
            Tensor tb0 = tb ? cpu.tensor(n, k, b) : cpu.tensor(k, n, b);
            // alpha/beta accumulate into C
            Tensor c = cpu.tensor(m, n, c0);
            cpu.gemm(ta, tb, 0.75f, ta0, tb0, -0.5f, c);
            Reference.assertClose("gemm alpha/beta", c.toArray(), Reference.gemm(ta, tb, m, n, k, 0.75f, a, b, -0.5f, c0), 2e-6);
            // beta == 0: C is not read, NaN must not propagate
            float[] nan = new float[m * n];
            Arrays.fill(nan, Float.NaN);
            Tensor c2 = cpu.tensor(m, n, nan);
            cpu.gemm(ta, tb, 1f, ta0, tb0, 0f, c2);
            float[] out = c2.toArray();
            for (float v : out) {
                assertFalse(Float.isNaN(v), "NaN from C leaked with beta == 0");
            }
            Reference.assertClose("gemm beta=0", out, Reference.gemm(ta, tb, m, n, k, 1f, a, b, 0f, nan), 2e-6);
        }
    }

    static Stream<Arguments> splitShapes() {
        // Taller than wide, so two threads split the rows: one panel, several panels of NC columns
        // with a partial last sliver, and several depth blocks.
        int[][] shapes = {{784, 512, 128}, {1300, 1030, 50}, {200, 37, 900}};
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                b.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        return b.build();
    }

    /** Splitting across threads changes no element's sum order, so two threads give the same bits as one. */
    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("splitShapes")
    void twoThreadsGiveTheBitsOfOne(int m, int n, int k, boolean ta, boolean tb) {
        float[] a = Reference.random(m * k, 5 + m, -1, 1);
        float[] b = Reference.random(k * n, 6 + n, -1, 1);
        float[] c0 = Reference.random(m * n, 7 + k, -1, 1);
        float[][] out = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            try (CpuBackend cpu = new CpuBackend(threads)) {
                Tensor c = cpu.tensor(m, n, c0);
                cpu.gemm(ta, tb, 0.75f, ta ? cpu.tensor(k, m, a) : cpu.tensor(m, k, a),
                        tb ? cpu.tensor(n, k, b) : cpu.tensor(k, n, b), -0.5f, c);
                out[threads - 1] = c.toArray();
            }
        }
        assertArrayEquals(out[0], out[1]);
    }
}
