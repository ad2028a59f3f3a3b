package dev.myelin.contract;

import dev.myelin.spi.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Inputs holding NaN, +Inf and -Inf for {@link NonFiniteContract}: rows that each put the special
 * values where a kernel could lose them (first element, last element of a vector tail, before a
 * larger number, alone or together), and element-wise arrays with specials scattered over vector
 * bodies and tails. Finite values lie in [-3, 3] away from zero, so nothing overflows but the specials.
 */
final class NonFiniteData {

    static final float NAN = Float.NaN;
    static final float INF = Float.POSITIVE_INFINITY;
    static final float NEG_INF = Float.NEGATIVE_INFINITY;

    /** How the special values sit in one row (or column) of a row-wise check. */
    enum Pattern {
        FINITE, NAN_FIRST, NAN_LAST, NAN_BEFORE_LARGER, POS_INF, NEG_INF, BOTH_INFS, ALL_NEG_INF, NAN_AND_POS_INF,
        ALL_NAN, SCATTERED
    }

    /** Row lengths of the row-wise checks: one element, shorter than a vector, a few vectors, past 1000. */
    static final int[] LENGTHS = {1, 7, 37, 1031};

    /** Shapes of the element-wise checks: small, a long row with a tail, and one large enough to split. */
    static final Shape[] SHAPES = {Shape.of(3, 37), Shape.of(1, 1031), Shape.of(130, 257)};

    private NonFiniteData() {
    }

    /** One row of {@code n} values laid out as {@code p} says. */
    static float[] row(Pattern p, int n, long seed) {
        float[] v = TestData.uniform(seed, n, -3, 3);
        switch (p) {
            case FINITE -> {
            }
            case NAN_FIRST -> v[0] = NAN;
            case NAN_LAST -> v[n - 1] = NAN;
            case NAN_BEFORE_LARGER -> {
                // A kernel that compares with '>' keeps the NaN's index only by accident; the 100 after
                // it is what a NaN-skipping max or argmax would pick.
                v[n / 3] = NAN;
                v[n - 1] = n - 1 > n / 3 ? 100f : v[n - 1];
            }
            case POS_INF -> v[n / 2] = INF;
            case NEG_INF -> v[2 * n / 3] = NEG_INF;
            case BOTH_INFS -> {
                v[n / 4] = INF;
                v[3 * n / 4] = NEG_INF;
            }
            case ALL_NEG_INF -> Arrays.fill(v, NEG_INF);
            case NAN_AND_POS_INF -> {
                v[0] = INF;
                v[n - 1] = NAN;
            }
            case ALL_NAN -> Arrays.fill(v, NAN);
            case SCATTERED -> v = scattered(seed, n);
        }
        return v;
    }

    /** A {@code [patterns x n]} matrix, row {@code i} laid out by pattern {@code i}. */
    static float[] rows(int n, long seed) {
        Pattern[] ps = Pattern.values();
        float[] m = new float[ps.length * n];
        for (int i = 0; i < ps.length; i++) {
            System.arraycopy(row(ps[i], n, seed + i), 0, m, i * n, n);
        }
        return m;
    }

    /** The transpose of {@link #rows}: an {@code [n x patterns]} matrix whose column {@code j} is pattern {@code j}. */
    static float[] columns(int n, long seed) {
        float[] r = rows(n, seed);
        int cols = Pattern.values().length;
        float[] m = new float[r.length];
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < n; j++) {
                m[j * cols + i] = r[i * n + j];
            }
        }
        return m;
    }

    /**
     * {@code n} values, about a quarter of them NaN, +Inf or -Inf at random places, and for {@code n >= 3}
     * always +Inf first, -Inf in the middle and NaN last (the tail of every vector width).
     */
    static float[] scattered(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        float[] v = TestData.uniform(seed, n, -3, 3);
        float[] specials = {NAN, INF, NEG_INF};
        for (int i = 0; i < n; i++) {
            if (r.nextInt(4) == 0) {
                v[i] = specials[r.nextInt(3)];
            }
        }
        if (n >= 3) {
            v[0] = INF;
            v[n / 2] = NEG_INF;
            v[n - 1] = NAN;
        }
        return v;
    }

    /**
     * Inputs of a row loss with the {@link Pattern}s in the predictions ({@code [patterns x n]}, element 0
     * of the pair) against finite targets (element 1), then finite predictions against targets holding
     * NaN and +Inf (elements 2 and 3). Cross-entropy and hinge get probability-like predictions (the finite
     * values made positive) and targets 0, 1 or 0.25; where a target is NaN, every other such prediction is
     * 0, a share the cross-entropy clips. The -Inf of the NEG_INF row meets a target of 0.25 (an infinite
     * hinge margin), the +Inf of the POS_INF row a target of 1 ({@code (1 - t) p = 0 * Inf}, NaN).
     */
    static float[][] rowLossInputs(boolean probabilities, int n, long seed) {
        Pattern[] ps = Pattern.values();
        float[] p = rows(n, seed);
        float[] q = TestData.uniform(seed + 1, ps.length * n, 0.01f, 3f);
        float[] t = probabilities ? TestData.choices(seed + 2, p.length, 0f, 1f, 0.25f)
                : TestData.uniform(seed + 2, p.length, -3, 3);
        float[] u = probabilities ? targets(seed + 3, p.length, 0f, 1f, 0.25f, INF) : scattered(seed + 3, p.length);
        for (int i = 0; i < p.length; i++) {
            p[i] = probabilities && Float.isFinite(p[i]) ? Math.abs(p[i]) : p[i];
            q[i] = Float.isNaN(u[i]) && i % 10 == 2 ? 0f : q[i];
        }
        t[Pattern.NEG_INF.ordinal() * n + 2 * n / 3] = 0.25f;
        t[Pattern.POS_INF.ordinal() * n + n / 2] = 1f;
        return new float[][] {p, t, q, u};
    }

    /** {@code n} values of {@code choices} at random, with every fifth one NaN (loss targets). */
    static float[] targets(long seed, int n, float... choices) {
        float[] t = TestData.choices(seed, n, choices);
        for (int i = 2; i < n; i += 5) {
            t[i] = NAN;
        }
        return t;
    }
}
