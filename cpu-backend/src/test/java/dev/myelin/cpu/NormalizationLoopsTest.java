package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.myelin.spi.Axis;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API normalization loops against the plain-Java ones, through {@link NormalizationKernels}, at
 * widths below, at and around the vector lengths (so that vector bodies and scalar tails both run) and with
 * NaN and infinities in the input. Per column the vector loops do the same float operations and add to each
 * column's double sum in the same order, so every output must have the scalar bits; per row the sums along a
 * row add in lanes, so the moments and the gradient through batch statistics may differ in the last bits, and
 * everything else (normalize, the gradient through constant statistics, the parameter gradients, which are sums
 * down columns) must again be bit-identical.
 */
class NormalizationLoopsTest {

    static Stream<Arguments> cases() {
        int[] widths = {1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 515};
        List<Arguments> cases = new ArrayList<>();
        for (Axis axis : new Axis[] {Axis.PER_COLUMN, Axis.PER_ROW}) {
            for (int cols : widths) {
                for (int rows : new int[] {1, 5, 70}) {
                    cases.add(Arguments.of(axis, rows, cols));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void vectorLoopsGiveTheScalarResults(Axis axis, int rows, int cols) {
        assumeTrue(VectorSupport.available(), "the Vector API module is absent: only the scalar loops run here");
        NormalizationLoops vector = VectorSupport.normalizationLoops();
        assertEquals("VectorNormalizationLoops", vector.getClass().getSimpleName());
        try (Parallel parallel = new Parallel(1)) {
            NormalizationKernels scalarKernels = new NormalizationKernels(parallel, new NormalizationLoops());
            Outputs s = Outputs.of(scalarKernels, axis, rows, cols, null);
            // The ops after moments read the scalar statistics on both sides, so that a difference in the last
            // bits of a per-row mean is not carried into them.
            Outputs v = Outputs.of(new NormalizationKernels(parallel, vector), axis, rows, cols, s);
            String at = axis + " " + rows + "x" + cols;
            boolean exactSums = axis == Axis.PER_COLUMN;
            compare("mean at " + at, s.mean, v.mean, exactSums);
            compare("variance at " + at, s.var, v.var, exactSums);
            compare("y at " + at, s.y, v.y, true);
            compare("y without gamma and beta at " + at, s.yPlain, v.yPlain, true);
            compare("dgamma at " + at, s.dgamma, v.dgamma, true);
            compare("dbeta at " + at, s.dbeta, v.dbeta, true);
            compare("dx through batch statistics at " + at, s.dxBatch, v.dxBatch, exactSums);
            compare("dx through constant statistics at " + at, s.dxConstant, v.dxConstant, true);
            compare("moments of non-finite x at " + at, s.nonFinite, v.nonFinite, exactSums);
        }
    }

    /** Bit for bit, or within a few float ulps of the scalar result, NaN and infinities where it has them. */
    private static void compare(String what, float[] scalar, float[] vector, boolean exact) {
        if (exact) {
            assertArrayEquals(scalar, vector, what);
            return;
        }
        assertEquals(scalar.length, vector.length, what);
        for (int i = 0; i < scalar.length; i++) {
            float s = scalar[i];
            float v = vector[i];
            if (Float.isNaN(s) || Float.isInfinite(s)) {
                assertEquals(s, v, what + " [" + i + "]");
            } else {
                assertEquals(s, v, 4 * Math.ulp(Math.abs(s)) + 1e-6f, what + " [" + i + "]");
            }
        }
    }

    /** Everything the three ops write for one input. */
    private record Outputs(float[] mean, float[] var, float[] y, float[] yPlain, float[] dgamma, float[] dbeta,
            float[] dxBatch, float[] dxConstant, float[] nonFinite) {

        /** The outputs of {@code k}, with the statistics of {@code statistics} after moments (its own if null). */
        static Outputs of(NormalizationKernels k, Axis axis, int rows, int cols, Outputs statistics) {
            long seed = 17L * rows + cols;
            float[] x = Reference.random(rows * cols, seed, -3f, 5f);
            float[] gamma = Reference.random(cols, seed + 1, 0.5f, 1.5f);
            float[] beta = Reference.random(cols, seed + 2, -1f, 1f);
            float[] dy = Reference.random(rows * cols, seed + 3, -1f, 1f);
            int stats = axis == Axis.PER_COLUMN ? cols : rows;
            float[] mean = new float[stats];
            float[] var = new float[stats];
            k.moments(axis, x, rows, cols, mean, var);
            float[] m = statistics == null ? mean : statistics.mean;
            float[] v = statistics == null ? var : statistics.var;
            float[] y = new float[rows * cols];
            k.normalize(axis, 1e-3f, 0f, x, rows, cols, m, v, gamma, beta, y);
            float[] yPlain = new float[rows * cols];
            k.normalize(axis, 0f, 1e-7f, x, rows, cols, m, v, null, null, yPlain);
            float[] dgamma = new float[cols];
            float[] dbeta = new float[cols];
            float[] dxBatch = new float[rows * cols];
            k.normalizeBackward(axis, true, 1e-3f, 0f, x, rows, cols, m, v, gamma, dy, dgamma, dbeta, dxBatch);
            float[] dxConstant = dy.clone();
            k.normalizeBackward(axis, false, 1e-3f, 0f, x, rows, cols, m, v, null, dxConstant, null, null,
                    dxConstant);
            float[] bad = x.clone();
            bad[bad.length / 2] = Float.NaN;
            bad[bad.length - 1] = Float.POSITIVE_INFINITY;
            float[] badMean = new float[stats];
            float[] badVar = new float[stats];
            k.moments(axis, bad, rows, cols, badMean, badVar);
            float[] nonFinite = new float[2 * stats];
            System.arraycopy(badMean, 0, nonFinite, 0, stats);
            System.arraycopy(badVar, 0, nonFinite, stats, stats);
            return new Outputs(mean, var, y, yPlain, dgamma, dbeta, dxBatch, dxConstant, nonFinite);
        }
    }
}
