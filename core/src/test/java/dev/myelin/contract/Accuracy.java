package dev.myelin.contract;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;

/**
 * How the conformance suite compares a float32 result with the float64 reference.
 *
 * <p>First, element by element, the result must be non-finite exactly where the reference rounded to
 * float32 is: NaN where it is NaN, the same infinity where it overflows, and finite everywhere else
 * (this is also what catches an element the kernel never wrote, since outputs start as NaN). Then the
 * error over the finite elements, {@code ||out - ref|| / ||scale||}, must be at most {@code rtol}
 * ({@link #EXACT}: equal to the reference rounded to float32);
 * {@code scale} is the reference itself unless a check passes the size of the terms instead.
 */
final class Accuracy {

    /** Ops that are a single correctly rounded float32 operation, or a copy: bit-exact. */
    static final double EXACT = 0;
    /** A few float32 roundings (division, a multiply-add, a rescale). */
    static final double ROUNDING = 3e-7;
    /** Formulas through exp, log, tanh or sqrt. */
    static final double TRANSCENDENTAL = 1e-6;

    private Accuracy() {
    }

    /** Tolerance for a float32 sum of {@code n} terms: rounding errors grow like {@code sqrt(n)}. */
    static double sum(int n) {
        return 2e-7 * Math.max(4, Math.sqrt(n));
    }

    static void assertMatches(String what, float[] out, double[] ref, double rtol) {
        assertMatches(what, out, ref, ref, rtol);
    }

    /** Checks the non-finite pattern, then {@code ||out - ref|| / ||scale|| <= rtol} over finite elements. */
    static void assertMatches(String what, float[] out, double[] ref, double[] scale, double rtol) {
        if (out.length != ref.length) {
            fail(what + ": " + out.length + " values, reference has " + ref.length);
        }
        assertSameNonFinite(what, out, ref);
        double err = 0;
        double norm = 0;
        int worst = -1;
        double worstErr = -1;
        for (int i = 0; i < ref.length; i++) {
            if (!Float.isFinite((float) ref[i])) {
                continue;
            }
            // Exact ops are compared with the reference rounded to float32, the one correct answer.
            double d = out[i] - (rtol == EXACT ? (float) ref[i] : ref[i]);
            err += d * d;
            norm += scale[i] * scale[i];
            if (Math.abs(d) > worstErr) {
                worstErr = Math.abs(d);
                worst = i;
            }
        }
        err = Math.sqrt(err);
        norm = Math.sqrt(norm);
        // An all-zero reference (a zero derivative) has to be matched exactly.
        double rel = norm == 0 ? (err == 0 ? 0 : Double.POSITIVE_INFINITY) : err / norm;
        if (!(rel <= rtol)) {
            fail(String.format(Locale.ROOT, "%s: relative error %.3e exceeds %.1e (worst element %d: got %s, reference %s)",
                    what, rel, rtol, worst, out[worst], ref[worst]));
        }
    }

    /**
     * For inputs at the edges of float range, where a norm would hide one bad element among huge ones:
     * each finite element must satisfy {@code |out - ref| <= rtol (scale + 1)}, {@code scale} being
     * {@code |ref|} or the size of the terms the formula cancels (relative for large values, absolute
     * for tiny ones, so a denormal flushed to zero still passes).
     */
    static void assertEachMatches(String what, float[] out, double[] ref, double[] scale, double rtol) {
        assertSameNonFinite(what, out, ref);
        for (int i = 0; i < ref.length; i++) {
            double allowed = rtol * (scale[i] + 1);
            if (Float.isFinite((float) ref[i]) && !(Math.abs(out[i] - ref[i]) <= allowed)) {
                fail(String.format(Locale.ROOT, "%s: element %d is %s, reference %s (allowed error %.2e)",
                        what, i, out[i], ref[i], allowed));
            }
        }
    }

    private static void assertSameNonFinite(String what, float[] out, double[] ref) {
        for (int i = 0; i < ref.length; i++) {
            float r = (float) ref[i];
            boolean ok = Float.isNaN(r) ? Float.isNaN(out[i]) : Float.isInfinite(r) ? out[i] == r : Float.isFinite(out[i]);
            if (!ok) {
                fail(what + ": element " + i + " is " + out[i] + ", reference " + ref[i]
                        + (Float.isNaN(out[i]) ? " (NaN: not written, or computed where the math is finite)" : ""));
            }
        }
    }
}
