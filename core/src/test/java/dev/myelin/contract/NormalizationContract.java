package dev.myelin.contract;

import static dev.myelin.contract.ReferenceMath.toDouble;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance checks of the normalization operations ({@link Backend#moments}, {@link Backend#normalize},
 * {@link Backend#normalizeBackward}) against the float64 {@link NormalizationMath}: both axes, the shapes of
 * {@link TestData#SHAPES}, with and without gamma and beta, Keras's two denominators ({@code epsilon = 1e-3};
 * {@code floor = 1e-7} over zero variances), batch and constant statistics, in place where allowed, outputs
 * poisoned first; NaN and infinities against the same reference (NaN in, NaN out); and the argument checks.
 * {@link BackendContract} implements it.
 */
public interface NormalizationContract {

    /** The backend under test, open while the checks run. */
    Backend backendUnderTest();

    private Tensor upload(Shape s, float[] values) {
        return backendUnderTest().tensor(s.rows(), s.cols(), values);
    }

    private Tensor poisoned(Shape s) {
        return upload(s, TestData.nan(s.size()));
    }

    private static Shape statShape(Axis axis, Shape s) {
        return axis.outputShape(s);
    }

    /** Each axis with each shape of the suite. */
    static Stream<Arguments> axesAndShapes() {
        return Stream.of(Axis.PER_COLUMN, Axis.PER_ROW)
                .flatMap(a -> TestData.SHAPES.stream().map(s -> Arguments.of(a, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.myelin.contract.NormalizationContract#axesAndShapes")
    default void momentsMatchReference(Axis axis, Shape s) {
        // An offset far from 0, so a one-pass E[x^2] - E[x]^2 would lose the variance's digits.
        float[] xv = TestData.uniform(TestData.seed("moments", s), s.size(), 99f, 101f);
        Tensor x = upload(s, xv);
        Tensor mean = poisoned(statShape(axis, s));
        Tensor var = poisoned(statShape(axis, s));
        backendUnderTest().moments(axis, x, mean, var);
        double[][] ref = NormalizationMath.moments(axis, toDouble(xv), s.rows(), s.cols());
        int n = axis == Axis.PER_COLUMN ? s.rows() : s.cols();
        Accuracy.assertMatches("moments mean " + axis + " at " + s, mean.toArray(), ref[0], Accuracy.sum(n));
        // The deviations are ~1 on a mean of ~100: their float32 rounding is ~1e-5 relative to themselves.
        Accuracy.assertMatches("moments variance " + axis + " at " + s, var.toArray(), ref[1], plus(ref[1], 1e-2),
                Accuracy.sum(n) * 100);
    }

    /** {@code v + c} element-wise: the scale of an error measured against terms of size c. */
    private static double[] plus(double[] v, double c) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]) + c;
        }
        return out;
    }

    /** Axis, gamma/beta present, Keras's batch-norm (epsilon) or Normalization-layer (floor) denominator, in place. */
    static Stream<Arguments> normalizeCases() {
        return Stream.of(Axis.PER_COLUMN, Axis.PER_ROW).flatMap(a -> Stream.of(
                Arguments.of(a, true, true, 1e-3f, 0f, false), Arguments.of(a, false, false, 1e-3f, 0f, false),
                Arguments.of(a, true, false, 1e-3f, 0f, true), Arguments.of(a, false, true, 0f, 1e-7f, false),
                Arguments.of(a, false, false, 0f, 1e-7f, true)));
    }

    @ParameterizedTest(name = "{0} gamma={1} beta={2} eps={3} floor={4} inPlace={5}")
    @MethodSource("dev.myelin.contract.NormalizationContract#normalizeCases")
    default void normalizeMatchesReference(Axis axis, boolean withGamma, boolean withBeta, float epsilon, float floor,
            boolean inPlace) {
        for (Shape s : List.of(Shape.of(1, 1), Shape.of(7, 33), Shape.of(127, 7), Shape.of(3, 1031), Shape.of(257, 515))) {
            long seed = TestData.seed("normalize" + axis + withGamma + withBeta + floor, s);
            Shape st = statShape(axis, s);
            float[] xv = TestData.uniform(seed, s.size(), -3f, 5f);
            float[] mv = TestData.uniform(seed + 1, st.size(), -1f, 2f);
            // Zero and tiny variances where the floor applies; ordinary ones elsewhere.
            float[] vv = floor > 0 ? TestData.choices(seed + 2, st.size(), 0f, 1e-16f, 0.25f, 3f)
                    : TestData.uniform(seed + 2, st.size(), 1e-4f, 4f);
            float[] gv = TestData.uniform(seed + 3, s.cols(), 0.5f, 1.5f);
            float[] bv = TestData.uniform(seed + 4, s.cols(), -1f, 1f);
            Tensor x = upload(s, xv);
            Tensor gamma = withGamma ? upload(Shape.of(1, s.cols()), gv) : null;
            Tensor beta = withBeta ? upload(Shape.of(1, s.cols()), bv) : null;
            Tensor y = inPlace ? x : poisoned(s);
            backendUnderTest().normalize(axis, epsilon, floor, x, upload(st, mv), upload(st, vv), gamma, beta, y);
            double[] ref = NormalizationMath.normalize(axis, epsilon, floor, toDouble(xv), s.rows(), s.cols(),
                    toDouble(mv), toDouble(vv), withGamma ? toDouble(gv) : null, withBeta ? toDouble(bv) : null);
            Accuracy.assertMatches("normalize " + axis + " at " + s, y.toArray(), ref, 4 * Accuracy.TRANSCENDENTAL);
        }
    }

    /** Axis, batch statistics, gamma present, dgamma/dbeta wanted, dx in place over dy. */
    static Stream<Arguments> backwardCases() {
        return Stream.of(Axis.PER_COLUMN, Axis.PER_ROW).flatMap(a -> Stream.of(
                Arguments.of(a, true, true, true, false), Arguments.of(a, true, false, true, true),
                Arguments.of(a, false, true, true, false), Arguments.of(a, false, true, false, true),
                Arguments.of(a, true, true, false, true)));
    }

    @ParameterizedTest(name = "{0} batchStatistics={1} gamma={2} paramGradients={3} inPlace={4}")
    @MethodSource("dev.myelin.contract.NormalizationContract#backwardCases")
    default void normalizeBackwardMatchesReference(Axis axis, boolean batch, boolean withGamma, boolean paramGrads,
            boolean inPlace) {
        for (Shape s : List.of(Shape.of(1, 1), Shape.of(7, 1), Shape.of(1, 7), Shape.of(7, 33), Shape.of(127, 7),
                Shape.of(3, 1031), Shape.of(257, 515))) {
            long seed = TestData.seed("normalizeBackward" + axis + batch + withGamma, s);
            Shape st = statShape(axis, s);
            Shape row = Shape.of(1, s.cols());
            float[] xv = TestData.uniform(seed, s.size(), -3f, 5f);
            float[] dyv = TestData.uniform(seed + 1, s.size(), -1f, 1f);
            float[] gv = TestData.uniform(seed + 3, s.cols(), 0.5f, 1.5f);
            float eps = 1e-3f;
            Tensor x = upload(s, xv);
            Tensor mean = poisoned(st);
            Tensor var = poisoned(st);
            if (batch) {
                backendUnderTest().moments(axis, x, mean, var);
            } else {
                mean.copyFrom(TestData.uniform(seed + 4, st.size(), -1f, 2f));
                var.copyFrom(TestData.uniform(seed + 5, st.size(), 1e-2f, 4f));
            }
            float[] mv = mean.toArray();
            float[] vv = var.toArray();
            Tensor gamma = withGamma ? upload(row, gv) : null;
            Tensor dy = upload(s, dyv);
            Tensor dgamma = paramGrads ? poisoned(row) : null;
            Tensor dbeta = paramGrads ? poisoned(row) : null;
            Tensor dx = inPlace ? dy : poisoned(s);
            backendUnderTest().normalizeBackward(axis, batch, eps, 0f, x, mean, var, gamma, dy, dgamma, dbeta, dx);
            double[][] ref = NormalizationMath.normalizeBackward(axis, batch, eps, 0f, toDouble(xv), s.rows(), s.cols(),
                    toDouble(mv), toDouble(vv), withGamma ? toDouble(gv) : null, toDouble(dyv));
            String what = "normalizeBackward " + axis + (batch ? " batch" : " constant") + " at " + s;
            int n = axis == Axis.PER_COLUMN ? s.rows() : s.cols();
            if (paramGrads) {
                // Sums over rows of terms of random sign: the error is measured against the sum of their sizes.
                double[][] sizes = NormalizationMath.normalizeBackward(axis, batch, eps, 0f, abs(toDouble(xv), mv, axis,
                        s), s.rows(), s.cols(), new double[st.size()], toDouble(vv), null, abs(toDouble(dyv)));
                Accuracy.assertMatches(what + " dgamma", dgamma.toArray(), ref[0], sizes[0], Accuracy.sum(s.rows()) * 4);
                Accuracy.assertMatches(what + " dbeta", dbeta.toArray(), ref[1], sizes[1], Accuracy.sum(s.rows()) * 4);
            }
            // The batch formula cancels g against its mean: the error is measured against the terms' size.
            double[] scale = batch ? termScale(axis, s, toDouble(dyv), withGamma ? toDouble(gv) : null, toDouble(vv), eps)
                    : ref[2];
            Accuracy.assertMatches(what + " dx", dx.toArray(), ref[2], scale, Accuracy.sum(n) * 8);
        }
    }

    private static double[] abs(double[] v) {
        return TestData.abs(v);
    }

    /** {@code |x - mean|} for each element, the mean of its row or column. */
    private static double[] abs(double[] x, float[] mean, Axis axis, Shape s) {
        double[] out = new double[x.length];
        for (int r = 0; r < s.rows(); r++) {
            for (int c = 0; c < s.cols(); c++) {
                out[r * s.cols() + c] = Math.abs(x[r * s.cols() + c] - mean[axis == Axis.PER_COLUMN ? c : r]);
            }
        }
        return out;
    }

    /** {@code |dy gamma| / d} for each element: the size of the terms the batch formula of dx cancels. */
    private static double[] termScale(Axis axis, Shape s, double[] dy, double[] gamma, double[] var, float eps) {
        double[] out = new double[s.size()];
        for (int r = 0; r < s.rows(); r++) {
            for (int c = 0; c < s.cols(); c++) {
                int i = r * s.cols() + c;
                double v = var[axis == Axis.PER_COLUMN ? c : r];
                out[i] = Math.abs(dy[i] * (gamma == null ? 1 : gamma[c])) / Math.sqrt(v + eps);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- NaN and infinities

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.myelin.contract.NormalizationContract#axes")
    default void normalizationPropagatesNaNAndInfinitiesAsIeee(Axis axis) {
        for (Shape s : NonFiniteData.SHAPES) {
            long seed = TestData.seed("normalizeNonFinite" + axis, s);
            Shape st = statShape(axis, s);
            Shape row = Shape.of(1, s.cols());
            // x with NaN and infinities scattered, but every statistic's slice also has finite ones.
            float[] xv = NonFiniteData.scattered(seed, s.size());
            float[] dyv = NonFiniteData.scattered(seed + 1, s.size());
            float[] gv = TestData.uniform(seed + 2, s.cols(), 0.5f, 1.5f);
            float[] bv = TestData.uniform(seed + 3, s.cols(), -1f, 1f);
            Tensor x = upload(s, xv);
            Tensor mean = poisoned(st);
            Tensor var = poisoned(st);
            backendUnderTest().moments(axis, x, mean, var);
            double[][] m = NormalizationMath.moments(axis, toDouble(xv), s.rows(), s.cols());
            check("moments mean " + axis + " at " + s, mean.toArray(), m[0]);
            check("moments variance " + axis + " at " + s, var.toArray(), m[1]);

            // Finite statistics, non-finite x; then a NaN and an infinite statistic.
            float[] mv = TestData.uniform(seed + 4, st.size(), -1f, 1f);
            float[] vv = TestData.uniform(seed + 5, st.size(), 0.1f, 2f);
            mv[0] = Float.NaN;
            vv[st.size() - 1] = st.size() > 1 ? Float.POSITIVE_INFINITY : vv[st.size() - 1];
            Tensor y = poisoned(s);
            Tensor gamma = upload(row, gv);
            backendUnderTest().normalize(axis, 1e-3f, 0f, x, upload(st, mv), upload(st, vv), gamma, upload(row, bv), y);
            double[] ref = NormalizationMath.normalize(axis, 1e-3, 0, toDouble(xv), s.rows(), s.cols(), toDouble(mv),
                    toDouble(vv), toDouble(gv), toDouble(bv));
            check("normalize " + axis + " at " + s, y.toArray(), ref);

            // A NaN variance wins the floor's maximum.
            float[] nanVar = TestData.uniform(seed + 6, st.size(), 0f, 1f);
            nanVar[0] = Float.NaN;
            Tensor z = poisoned(s);
            Tensor finiteX = upload(s, TestData.uniform(seed + 7, s.size(), -1f, 1f));
            backendUnderTest().normalize(axis, 0f, 1e-7f, finiteX, upload(st, mv), upload(st, nanVar), null, null, z);
            double[] refZ = NormalizationMath.normalize(axis, 0, 1e-7f, toDouble(finiteX.toArray()), s.rows(), s.cols(),
                    toDouble(mv), toDouble(nanVar), null, null);
            check("normalize with a NaN variance " + axis + " at " + s, z.toArray(), refZ);

            for (boolean batch : new boolean[] {true, false}) {
                Tensor bm = batch ? mean : upload(st, TestData.uniform(seed + 8, st.size(), -1f, 1f));
                Tensor bvar = batch ? var : upload(st, TestData.uniform(seed + 9, st.size(), 0.1f, 2f));
                Tensor dg = poisoned(row);
                Tensor db = poisoned(row);
                Tensor dx = poisoned(s);
                backendUnderTest().normalizeBackward(axis, batch, 1e-3f, 0f, x, bm, bvar, gamma, upload(s, dyv), dg, db,
                        dx);
                double[][] g = NormalizationMath.normalizeBackward(axis, batch, 1e-3, 0, toDouble(xv), s.rows(),
                        s.cols(), toDouble(bm.toArray()), toDouble(bvar.toArray()), toDouble(gv), toDouble(dyv));
                String what = "normalizeBackward " + axis + (batch ? " batch" : " constant") + " at " + s;
                check(what + " dgamma", dg.toArray(), g[0]);
                check(what + " dbeta", db.toArray(), g[1]);
                check(what + " dx", dx.toArray(), g[2]);
            }
        }
    }

    /** Both axes the operations take. */
    static Stream<Axis> axes() {
        return Stream.of(Axis.PER_COLUMN, Axis.PER_ROW);
    }

    /** Non-finite exactly where the reference is; finite elements loosely close (accuracy is checked above). */
    private static void check(String what, float[] out, double[] ref) {
        Accuracy.assertEachMatches(what, out, ref, TestData.abs(ref), 1e-3);
    }

    // ---------------------------------------------------------------- arguments

    @Test
    default void normalizationRejectsBadArgumentsNamingThem() {
        Backend b = backendUnderTest();
        Shape s = Shape.of(4, 3);
        Tensor x = upload(s, TestData.uniform(1, 12, -1, 1));
        Tensor colStat = upload(Shape.of(1, 3), TestData.uniform(2, 3, 0.5f, 1));
        Tensor colStat2 = upload(Shape.of(1, 3), TestData.uniform(3, 3, 0.5f, 1));
        Tensor rowStat = upload(Shape.of(4, 1), TestData.uniform(4, 4, 0.5f, 1));
        Tensor y = poisoned(s);
        reject(IllegalArgumentException.class, () -> b.moments(Axis.ALL, x, colStat, colStat2), "moments", "'axis'", "ALL");
        reject(NullPointerException.class, () -> b.moments(null, x, colStat, colStat2), "moments", "'axis'");
        reject(IllegalArgumentException.class, () -> b.moments(Axis.PER_COLUMN, x, rowStat, colStat2), "moments",
                "'mean'", "[1 x 3]", "[4 x 1]");
        reject(IllegalArgumentException.class, () -> b.moments(Axis.PER_COLUMN, x, colStat, colStat), "moments",
                "'variance'", "'mean'");
        reject(IllegalArgumentException.class, () -> b.normalize(Axis.PER_COLUMN, -1e-3f, 0f, x, colStat, colStat2,
                null, null, y), "normalize", "'epsilon'", "-0.001");
        reject(IllegalArgumentException.class, () -> b.normalize(Axis.PER_COLUMN, 1e-3f, Float.NaN, x, colStat,
                colStat2, null, null, y), "normalize", "'floor'", "NaN");
        reject(IllegalArgumentException.class, () -> b.normalize(Axis.PER_ROW, 1e-3f, 0f, x, colStat, colStat2, null,
                null, y), "normalize", "'mean'", "[4 x 1]", "[1 x 3]");
        reject(IllegalArgumentException.class, () -> b.normalize(Axis.PER_COLUMN, 1e-3f, 0f, x, colStat, colStat2,
                rowStat, null, y), "normalize", "'gamma'", "[1 x 3]", "[4 x 1]");
        reject(IllegalArgumentException.class, () -> b.normalize(Axis.PER_COLUMN, 1e-3f, 0f, x, colStat, colStat2,
                null, null, colStat), "normalize", "'y'", "[4 x 3]");
        reject(NullPointerException.class, () -> b.normalize(Axis.PER_COLUMN, 1e-3f, 0f, x, colStat, null, null,
                null, y), "normalize", "'variance'");
        Tensor dy = upload(s, TestData.uniform(5, 12, -1, 1));
        reject(IllegalArgumentException.class, () -> b.normalizeBackward(Axis.PER_COLUMN, true, 0f, 1e-7f, x, colStat,
                colStat2, null, dy, null, null, y), "normalizeBackward", "'floor'", "batch statistics");
        reject(IllegalArgumentException.class, () -> b.normalizeBackward(Axis.PER_COLUMN, true, 1e-3f, 0f, x, colStat,
                colStat2, null, dy, null, null, x), "normalizeBackward", "'dx'", "'x'");
        reject(IllegalArgumentException.class, () -> b.normalizeBackward(Axis.PER_COLUMN, true, 1e-3f, 0f, x, colStat,
                colStat2, null, dy, colStat, null, y), "normalizeBackward", "'dgamma'", "'mean'");
        reject(IllegalArgumentException.class, () -> b.normalizeBackward(Axis.PER_COLUMN, true, 1e-3f, 0f, x, colStat,
                colStat2, null, dy, rowStat, null, y), "normalizeBackward", "'dgamma'", "[1 x 3]", "[4 x 1]");
        reject(NullPointerException.class, () -> b.normalizeBackward(Axis.PER_COLUMN, true, 1e-3f, 0f, x, colStat,
                colStat2, null, null, null, null, y), "normalizeBackward", "'dy'");
        Tensor closed = upload(Shape.of(1, 3), new float[3]);
        closed.close();
        reject(IllegalStateException.class, () -> b.normalize(Axis.PER_COLUMN, 1e-3f, 0f, x, colStat, colStat2, closed,
                null, y), "normalize", "'gamma'", "closed");
        reject(IllegalStateException.class, () -> b.normalizeBackward(Axis.PER_COLUMN, true, 1e-3f, 0f, x, colStat,
                colStat2, null, dy, null, closed, y), "normalizeBackward", "'dbeta'", "closed");
    }

    private static void reject(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call,
            String... parts) {
        Throwable e = assertThrows(type, call);
        for (String p : parts) {
            assertTrue(String.valueOf(e.getMessage()).contains(p), "message '" + e.getMessage() + "' lacks " + p);
        }
    }
}
