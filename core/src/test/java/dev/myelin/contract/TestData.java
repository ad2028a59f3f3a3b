package dev.myelin.contract;

import dev.myelin.spi.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded inputs for the conformance suite: random, never zero, and the awkward shapes. */
final class TestData {

    /**
     * Shapes every element-wise, row-wise and reduction check runs at: a scalar, a row, a column,
     * odd sizes that defeat vector widths and tiles (7, 33, 127), one dimension past 1000 at a time,
     * and one tensor big enough for a backend to split its work across threads.
     */
    static final List<Shape> SHAPES = List.of(Shape.of(1, 1), Shape.of(1, 7), Shape.of(7, 1), Shape.of(1, 33),
            Shape.of(33, 1), Shape.of(7, 33), Shape.of(33, 127), Shape.of(127, 7), Shape.of(1, 1031), Shape.of(1031, 1),
            Shape.of(3, 1031), Shape.of(1031, 3), Shape.of(257, 515));

    /**
     * Inputs at which naive exp/log formulas overflow, mixed with ordinary values and with both zeros,
     * where the piecewise formulas switch branch (step, relu, elu, the derivatives written with y).
     */
    static final float[] EXTREMES = {1e4f, -1e4f, 100f, -100f, 88f, -88f, 20f, -20f, 1f, -1f, 0.5f, -0.5f, 0f, -0f};

    private TestData() {
    }

    /** A seed that differs per check and per shape, so no two checks see the same numbers. */
    static long seed(String what, Shape shape) {
        return what.hashCode() * 0x9E3779B97F4A7C15L + shape.rows() * 1_000_003L + shape.cols();
    }

    /** {@code n} values uniform on {@code [lo, hi)}, none of them zero. */
    static float[] uniform(long seed, int n, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float x;
            do {
                x = (float) (lo + (hi - lo) * r.nextDouble());
            } while (x == 0f);
            v[i] = x;
        }
        return v;
    }

    /** {@code n} values of magnitude in {@code [lo, hi)} with random signs (never near zero). */
    static float[] magnitudes(long seed, int n, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float m = (float) (lo + (hi - lo) * r.nextDouble());
            v[i] = r.nextBoolean() ? m : -m;
        }
        return v;
    }

    /** {@code n} values drawn at random from {@code choices}. */
    static float[] choices(long seed, int n, float... choices) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = choices[r.nextInt(choices.length)];
        }
        return v;
    }

    /** Rows that each sum to 1: one-hot on even rows, random soft labels on odd rows. */
    static float[] distributions(long seed, Shape shape) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = shape.rows();
        int cols = shape.cols();
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (i % 2 == 0) {
                t[i * cols + r.nextInt(cols)] = 1f;
            } else {
                double sum = 0;
                double[] w = new double[cols];
                for (int j = 0; j < cols; j++) {
                    w[j] = 0.05 + r.nextDouble();
                    sum += w[j];
                }
                for (int j = 0; j < cols; j++) {
                    t[i * cols + j] = (float) (w[j] / sum);
                }
            }
        }
        return t;
    }

    static float[] nan(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    static double[] abs(double[] x) {
        double[] a = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = Math.abs(x[i]);
        }
        return a;
    }
}
