package dev.myelin.data;

import java.util.Arrays;

/**
 * Maps each column linearly so that its training minimum becomes {@code low} and its maximum
 * {@code high} (default [0, 1]). A constant column maps to {@code low} rather than dividing by 0.
 */
public final class MinMaxScaler extends AffineColumnScaler {

    private final double low;
    private final double high;

    /** Scales to [0, 1]. */
    public MinMaxScaler() {
        this(0, 1);
    }

    /**
     * Scales to [{@code low}, {@code high}].
     *
     * @param low the value the column minimum maps to
     * @param high the value the column maximum maps to, above {@code low}
     */
    public MinMaxScaler(double low, double high) {
        if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
            throw new IllegalArgumentException("low, high: expected finite low < high, got [" + low + ", " + high + "]");
        }
        this.low = low;
        this.high = high;
    }

    @Override
    void fitColumns(FloatMatrix x, double[] scale, double[] shift) {
        int cols = x.cols();
        double[] min = new double[cols];
        double[] max = new double[cols];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        float[] data = x.data();
        for (int i = 0; i < data.length; i++) {
            int c = i % cols;
            min[c] = Math.min(min[c], data[i]);
            max[c] = Math.max(max[c], data[i]);
        }
        for (int c = 0; c < cols; c++) {
            double range = max[c] - min[c];
            scale[c] = range > 0 ? (high - low) / range : 1;
            shift[c] = low - min[c] * scale[c];
        }
    }
}
