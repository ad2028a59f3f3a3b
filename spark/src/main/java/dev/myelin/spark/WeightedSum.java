package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Row-weighted sums of named tensors (a step's gradients, or a round's weights and optimizer state), as the
 * {@code double[]} that {@code treeAggregate} carries (a primitive array: nothing to register with Kryo):
 * {@code [loss x rows, rows, tensor values x rows...]} summed over partitions, the tensors flattened in
 * order. An empty array is the zero. Summing in double and dividing once by the total rows makes a
 * one-partition sum reproduce its float values exactly: a float times an integer below 2^24 is exact in
 * double, and so is the division back.
 */
final class WeightedSum {

    private WeightedSum() {
    }

    /** One partition's contribution: its mean loss and mean tensors, weighted by its {@code rows}. */
    static double[] of(double meanLoss, long rows, Map<String, FloatMatrix> means) {
        int n = 2;
        for (FloatMatrix g : means.values()) {
            n += g.data().length;
        }
        double[] s = new double[n];
        s[0] = meanLoss * rows;
        s[1] = rows;
        int i = 2;
        for (FloatMatrix g : means.values()) {
            for (float v : g.data()) {
                s[i++] = (double) v * rows;
            }
        }
        return s;
    }

    /** {@code a + b}, reusing {@code a} when it is not the zero. */
    static double[] add(double[] a, double[] b) {
        if (a.length == 0) {
            return b;
        }
        if (b.length == 0) {
            return a;
        }
        if (a.length != b.length) {
            throw new IllegalStateException("sums of different sizes: " + a.length + " and " + b.length);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** The rows the sum covers. */
    static long rows(double[] sum) {
        return sum.length == 0 ? 0 : (long) sum[1];
    }

    /** The mean loss over the rows. */
    static double meanLoss(double[] sum) {
        return sum[0] / sum[1];
    }

    /** The mean tensors, shaped and named like {@code like} (in the order the contributions used). */
    static LinkedHashMap<String, FloatMatrix> means(double[] sum, Map<String, FloatMatrix> like) {
        LinkedHashMap<String, FloatMatrix> out = new LinkedHashMap<>();
        double rows = sum[1];
        int i = 2;
        for (Map.Entry<String, FloatMatrix> e : like.entrySet()) {
            float[] g = new float[e.getValue().data().length];
            for (int j = 0; j < g.length; j++) {
                g[j] = (float) (sum[i++] / rows);
            }
            out.put(e.getKey(), new FloatMatrix(e.getValue().rows(), e.getValue().cols(), g));
        }
        if (i != sum.length) {
            throw new IllegalStateException("the sum holds " + (sum.length - 2) + " values, the tensors "
                    + (i - 2));
        }
        return out;
    }
}
