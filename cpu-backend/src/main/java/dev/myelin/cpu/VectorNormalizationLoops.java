package dev.myelin.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The normalization loops on the JDK Vector API. Element-wise loops run whole {@link FloatVector#SPECIES_PREFERRED}
 * vectors; sums load the floats of one {@link DoubleVector#SPECIES_PREFERRED} vector (half as many), compute
 * each term in float and widen it into double lanes, so they keep the scalar loops' double accumulation. The
 * columns that do not fill a vector go to {@link NormalizationLoops}; no masked loads (not intrinsified on
 * AVX2, where their fallback allocates).
 *
 * <p>The per-column loops do exactly the scalar loops' float operations (no fused multiply-add) and add to
 * each column's double sum in the same order, so they give the scalar loops' bits. The per-row sums add in
 * lanes and then across the lanes in a fixed order: their bits depend on the vector width, not on the thread
 * count. Only reached through {@link VectorSupport}, so the scalar path never loads it.
 */
final class VectorNormalizationLoops extends NormalizationLoops {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    /** The floats that widen into one double vector. */
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int HL = H.length();

    private static FloatVector half(float[] a, int i) {
        return FloatVector.fromArray(H, a, i);
    }

    private static DoubleVector widen(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    /**
     * The sum of the lanes, added in lane order with constant indices: reduceLanes(ADD) may associate differently
     * in compiled and interpreted code (see {@code VectorKernels}), and a variable index made C2 box the vector.
     */
    private static double sumLanes(DoubleVector v) {
        DoubleVector w = DoubleVector.zero(D).add(v);
        double s = w.lane(0);
        if (DL >= 2) {
            s = s + w.lane(1);
        }
        if (DL >= 4) {
            s = s + w.lane(2) + w.lane(3);
        }
        if (DL >= 8) {
            s = s + w.lane(4) + w.lane(5) + w.lane(6) + w.lane(7);
        }
        for (int i = 8; i < DL; i++) {
            s = s + w.lane(i);
        }
        return s;
    }

    // ---------------------------------------------------------------- statistics per column

    @Override
    void addColumns(float[] x, int o, double[] sum, int c0, int c1) {
        int end = c0 + H.loopBound(c1 - c0);
        for (int c = c0; c < end; c += HL) {
            widen(half(x, o + c)).add(DoubleVector.fromArray(D, sum, c)).intoArray(sum, c);
        }
        super.addColumns(x, o, sum, end, c1);
    }

    @Override
    void addSquaredDeviations(float[] x, int o, float[] mean, double[] sum, int c0, int c1) {
        int end = c0 + H.loopBound(c1 - c0);
        for (int c = c0; c < end; c += HL) {
            FloatVector d = half(x, o + c).sub(half(mean, c));
            widen(d.mul(d)).add(DoubleVector.fromArray(D, sum, c)).intoArray(sum, c);
        }
        super.addSquaredDeviations(x, o, mean, sum, end, c1);
    }

    @Override
    void scaleColumns(float[] x, int o, float[] mean, float[] k, float[] beta, float[] y, int c0, int c1) {
        int end = c0 + S.loopBound(c1 - c0);
        if (beta == null) {
            for (int c = c0; c < end; c += L) {
                FloatVector.fromArray(S, x, o + c).sub(FloatVector.fromArray(S, mean, c))
                        .mul(FloatVector.fromArray(S, k, c)).intoArray(y, o + c);
            }
        } else {
            for (int c = c0; c < end; c += L) {
                FloatVector.fromArray(S, x, o + c).sub(FloatVector.fromArray(S, mean, c))
                        .mul(FloatVector.fromArray(S, k, c)).add(FloatVector.fromArray(S, beta, c)).intoArray(y, o + c);
            }
        }
        super.scaleColumns(x, o, mean, k, beta, y, end, c1);
    }

    @Override
    void addGradientColumns(float[] dy, float[] x, int o, float[] mean, float[] inv, double[] sumG, double[] sumGx,
            int c0, int c1) {
        int end = c0 + H.loopBound(c1 - c0);
        for (int c = c0; c < end; c += HL) {
            FloatVector g = half(dy, o + c);
            FloatVector xhat = half(x, o + c).sub(half(mean, c)).mul(half(inv, c));
            widen(g).add(DoubleVector.fromArray(D, sumG, c)).intoArray(sumG, c);
            widen(g.mul(xhat)).add(DoubleVector.fromArray(D, sumGx, c)).intoArray(sumGx, c);
        }
        super.addGradientColumns(dy, x, o, mean, inv, sumG, sumGx, end, c1);
    }

    @Override
    void addGradientRow(float[] dy, float[] x, int o, float m, float k, double[] sumG, double[] sumGx, int c0,
            int c1) {
        int end = c0 + H.loopBound(c1 - c0);
        for (int c = c0; c < end; c += HL) {
            FloatVector g = half(dy, o + c);
            FloatVector xhat = half(x, o + c).sub(m).mul(k);
            widen(g).add(DoubleVector.fromArray(D, sumG, c)).intoArray(sumG, c);
            widen(g.mul(xhat)).add(DoubleVector.fromArray(D, sumGx, c)).intoArray(sumGx, c);
        }
        super.addGradientRow(dy, x, o, m, k, sumG, sumGx, end, c1);
    }

    @Override
    void columnGradient(float[] dy, float[] x, int o, float[] mean, float[] inv, float[] meanG, float[] meanGx,
            float[] k, float[] dx, int c0, int c1) {
        int end = c0 + S.loopBound(c1 - c0);
        for (int c = c0; c < end; c += L) {
            FloatVector xhat = FloatVector.fromArray(S, x, o + c).sub(FloatVector.fromArray(S, mean, c))
                    .mul(FloatVector.fromArray(S, inv, c));
            FloatVector.fromArray(S, dy, o + c).sub(FloatVector.fromArray(S, meanG, c))
                    .sub(xhat.mul(FloatVector.fromArray(S, meanGx, c)))
                    .mul(FloatVector.fromArray(S, k, c)).intoArray(dx, o + c);
        }
        super.columnGradient(dy, x, o, mean, inv, meanG, meanGx, k, dx, end, c1);
    }

    @Override
    void scaleGradientColumns(float[] dy, int o, float[] k, float[] dx, int c0, int c1) {
        int end = c0 + S.loopBound(c1 - c0);
        for (int c = c0; c < end; c += L) {
            FloatVector.fromArray(S, dy, o + c).mul(FloatVector.fromArray(S, k, c)).intoArray(dx, o + c);
        }
        super.scaleGradientColumns(dy, o, k, dx, end, c1);
    }

    // ---------------------------------------------------------------- statistics per row

    // One call per row, and two accumulators a sum: with four (unrolled by hand) the moments of a row, or the
    // three loops of its gradient, ran past C2's node budget; a helper was then left out of line and boxed its
    // vectors (576 bytes a row). Each update has the freshly widened term as its receiver (a call on the loop
    // phi would not be intrinsified).

    @Override
    void rowMoments(float[] x, int o, int n, float[] mean, float[] var, int r) {
        float m = (float) (sum(x, o, n) / n);
        mean[r] = m;
        var[r] = (float) (sumSquaredDeviations(x, o, n, m) / n);
    }

    private static double sum(float[] x, int o, int n) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
        int c = 0;
        for (int end = n / (2 * HL) * (2 * HL); c < end; c += 2 * HL) {
            s0 = widen(half(x, o + c)).add(s0);
            s1 = widen(half(x, o + c + HL)).add(s1);
        }
        for (int end = H.loopBound(n); c < end; c += HL) {
            s0 = widen(half(x, o + c)).add(s0);
        }
        return sumLanes(DoubleVector.zero(D).add(s0).add(s1)) + NormalizationLoops.sum(x, o, c, n);
    }

    private static double sumSquaredDeviations(float[] x, int o, int n, float m) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
        int c = 0;
        for (int end = n / (2 * HL) * (2 * HL); c < end; c += 2 * HL) {
            FloatVector d0 = half(x, o + c).sub(m);
            FloatVector d1 = half(x, o + c + HL).sub(m);
            s0 = widen(d0.mul(d0)).add(s0);
            s1 = widen(d1.mul(d1)).add(s1);
        }
        for (int end = H.loopBound(n); c < end; c += HL) {
            FloatVector d = half(x, o + c).sub(m);
            s0 = widen(d.mul(d)).add(s0);
        }
        return sumLanes(DoubleVector.zero(D).add(s0).add(s1)) + NormalizationLoops.sumSquaredDeviations(x, o, m, c, n);
    }

    @Override
    void scaleRow(float[] x, int o, float m, float k, float[] gamma, float[] beta, float[] y, int c0, int c1) {
        int end = c0 + S.loopBound(c1 - c0);
        if (beta == null) {
            for (int c = c0; c < end; c += L) {
                FloatVector.fromArray(S, x, o + c).sub(m).mul(k).mul(FloatVector.fromArray(S, gamma, c))
                        .intoArray(y, o + c);
            }
        } else {
            for (int c = c0; c < end; c += L) {
                FloatVector.fromArray(S, x, o + c).sub(m).mul(k).mul(FloatVector.fromArray(S, gamma, c))
                        .add(FloatVector.fromArray(S, beta, c)).intoArray(y, o + c);
            }
        }
        super.scaleRow(x, o, m, k, gamma, beta, y, end, c1);
    }

    @Override
    void rowGradient(float[] dy, float[] gamma, float[] x, int o, int n, float m, float k, float[] dx) {
        // Both sums in one pass, two accumulators each.
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
        DoubleVector sx0 = DoubleVector.zero(D), sx1 = DoubleVector.zero(D);
        int c = 0;
        for (int end = n / (2 * HL) * (2 * HL); c < end; c += 2 * HL) {
            FloatVector g0 = half(dy, o + c).mul(half(gamma, c));
            FloatVector g1 = half(dy, o + c + HL).mul(half(gamma, c + HL));
            s0 = widen(g0).add(s0);
            s1 = widen(g1).add(s1);
            sx0 = widen(g0.mul(half(x, o + c).sub(m).mul(k))).add(sx0);
            sx1 = widen(g1.mul(half(x, o + c + HL).sub(m).mul(k))).add(sx1);
        }
        // No loop of single vectors here: with one, C2 boxed an accumulator once a row when it ran.
        double s = sumLanes(DoubleVector.zero(D).add(s0).add(s1));
        double sx = sumLanes(DoubleVector.zero(D).add(sx0).add(sx1));
        for (; c < n; c++) {
            float g = dy[o + c] * gamma[c];
            s += g;
            sx += g * ((x[o + c] - m) * k);
        }
        writeRowGradient(dy, gamma, x, o, m, k, (float) (s / n), (float) (sx / n), dx, 0, n);
    }

    @Override
    void writeRowGradient(float[] dy, float[] gamma, float[] x, int o, float m, float k, float meanG, float meanGx,
            float[] dx, int c0, int c1) {
        int end = c0 + S.loopBound(c1 - c0);
        for (int c = c0; c < end; c += L) {
            FloatVector g = FloatVector.fromArray(S, dy, o + c).mul(FloatVector.fromArray(S, gamma, c));
            FloatVector xhatTimesMean = FloatVector.fromArray(S, x, o + c).sub(m).mul(k).mul(meanGx);
            g.sub(meanG).sub(xhatTimesMean).mul(k).intoArray(dx, o + c);
        }
        super.writeRowGradient(dy, gamma, x, o, m, k, meanG, meanGx, dx, end, c1);
    }

    @Override
    void scaleGradientRow(float[] dy, float[] gamma, int o, float k, float[] dx, int c0, int c1) {
        int end = c0 + S.loopBound(c1 - c0);
        for (int c = c0; c < end; c += L) {
            FloatVector.fromArray(S, dy, o + c).mul(FloatVector.fromArray(S, gamma, c)).mul(k).intoArray(dx, o + c);
        }
        super.scaleGradientRow(dy, gamma, o, k, dx, end, c1);
    }
}
