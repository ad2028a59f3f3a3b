package dev.myelin.data;

/**
 * Centres each column on its training mean and divides by its training standard deviation
 * (population, as scikit-learn). A constant column is only centred, not divided by 0.
 */
public final class StandardScaler extends AffineColumnScaler {

    /** An unfitted scaler. */
    public StandardScaler() {
    }

    @Override
    void fitColumns(FloatMatrix x, double[] scale, double[] shift) {
        int cols = x.cols();
        int rows = x.rows();
        double[] mean = new double[cols];
        float[] data = x.data();
        for (int i = 0; i < data.length; i++) {
            mean[i % cols] += data[i];
        }
        for (int c = 0; c < cols; c++) {
            mean[c] /= rows;
        }
        // Two passes: the sum of squared deviations does not cancel the way E[x^2] - E[x]^2 can.
        double[] squares = new double[cols];
        for (int i = 0; i < data.length; i++) {
            double d = data[i] - mean[i % cols];
            squares[i % cols] += d * d;
        }
        for (int c = 0; c < cols; c++) {
            double std = Math.sqrt(squares[c] / rows);
            scale[c] = std > 0 ? 1 / std : 1;
            shift[c] = -mean[c] * scale[c];
        }
    }
}
