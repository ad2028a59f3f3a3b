package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.spi.Axis;
import dev.myelin.spi.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The normalization ops give the same bits on a two-thread CPU backend as on a one-thread one: the threads take
 * whole columns (statistics per column) or whole rows (per row), never part of one sum. The shapes are large
 * enough to split (at least twice the kernels' grain of 16384 elements), split on either axis or only one, and
 * leave columns that do not fill a vector. Surefire runs it with and without the Vector API module.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NormalizationThreadsTest {

    private CpuBackend one;
    private CpuBackend two;

    @BeforeAll
    void open() {
        one = new CpuBackend(1);
        two = new CpuBackend(2);
        assertEquals(2, two.threads());
    }

    @AfterAll
    void close() {
        one.close();
        two.close();
    }

    static Stream<Arguments> cases() {
        int[][] shapes = {{300, 517}, {33, 1031}, {4099, 9}, {2, 20000}};
        List<Arguments> cases = new ArrayList<>();
        for (Axis axis : new Axis[] {Axis.PER_COLUMN, Axis.PER_ROW}) {
            for (int[] s : shapes) {
                cases.add(Arguments.of(axis, s[0], s[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void twoThreadsGiveTheBitsOfOne(Axis axis, int rows, int cols) {
        String at = axis + " " + rows + "x" + cols;
        List<float[]> a = run(one, axis, rows, cols);
        List<float[]> b = run(two, axis, rows, cols);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "output " + i + " at " + at);
        }
    }

    /**
     * The outputs of moments, normalize (with and without gamma and beta) and normalizeBackward (through batch
     * and constant statistics, with and without parameter gradients, in place) on seeded data.
     */
    private static List<float[]> run(CpuBackend b, Axis axis, int rows, int cols) {
        long seed = 31L * rows + cols;
        float[] xv = Reference.random(rows * cols, seed, 40f, 44f);
        List<float[]> outputs = new ArrayList<>();
        try (Tensor x = b.tensor(rows, cols, xv);
                Tensor mean = b.tensor(axis.outputShape(x.shape()));
                Tensor var = b.tensor(axis.outputShape(x.shape()));
                Tensor gamma = b.tensor(1, cols, Reference.random(cols, seed + 1, 0.5f, 1.5f));
                Tensor beta = b.tensor(1, cols, Reference.random(cols, seed + 2, -1f, 1f));
                Tensor y = b.tensor(rows, cols);
                Tensor dgamma = b.tensor(1, cols);
                Tensor dbeta = b.tensor(1, cols);
                Tensor dx = b.tensor(rows, cols)) {
            b.moments(axis, x, mean, var);
            outputs.add(mean.toArray());
            outputs.add(var.toArray());
            b.normalize(axis, 1e-3f, 0f, x, mean, var, gamma, beta, y);
            outputs.add(y.toArray());
            b.normalize(axis, 0f, 1e-7f, x, mean, var, null, null, y);
            outputs.add(y.toArray());
            float[] dyv = Reference.random(rows * cols, seed + 3, -1f, 1f);
            for (boolean batch : new boolean[] {true, false}) {
                try (Tensor dy = b.tensor(rows, cols, dyv)) {
                    b.normalizeBackward(axis, batch, 1e-3f, 0f, x, mean, var, gamma, dy, dgamma, dbeta, dx);
                    outputs.add(dgamma.toArray());
                    outputs.add(dbeta.toArray());
                    outputs.add(dx.toArray());
                    b.normalizeBackward(axis, batch, 1e-3f, 0f, x, mean, var, null, dy, null, null, dy);
                    outputs.add(dy.toArray());
                }
            }
        }
        return outputs;
    }
}
