package dev.myelin.data;

import java.util.Objects;

/**
 * The shared part of the scalers: each column is mapped by {@code y = x * scale + shift}, the
 * parameters computed in double precision from the training data by the subclass.
 */
abstract sealed class AffineColumnScaler implements Scaler permits MinMaxScaler, StandardScaler {

    private double[] scale;
    private double[] shift;

    /** Computes {@code scale} and {@code shift} for each column of {@code x}. */
    abstract void fitColumns(FloatMatrix x, double[] scale, double[] shift);

    @Override
    public final Scaler fit(FloatMatrix x) {
        Objects.requireNonNull(x, "x");
        if (x.rows() == 0 || x.cols() == 0) {
            throw new IllegalArgumentException("x: expected at least one row and one column to fit, got ["
                    + x.rows() + " x " + x.cols() + "]");
        }
        float[] data = x.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException("x: expected finite values to fit, got " + data[i] + " at row "
                        + (i / x.cols()) + ", column " + (i % x.cols()));
            }
        }
        double[] newScale = new double[x.cols()];
        double[] newShift = new double[x.cols()];
        fitColumns(x, newScale, newShift);
        scale = newScale;
        shift = newShift;
        return this;
    }

    @Override
    public final boolean isFitted() {
        return scale != null;
    }

    @Override
    public final FloatMatrix transform(FloatMatrix x) {
        checkInput("transform", x);
        int cols = x.cols();
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            int c = i % cols;
            out[i] = (float) (in[i] * scale[c] + shift[c]);
        }
        return new FloatMatrix(x.rows(), cols, out);
    }

    @Override
    public final FloatMatrix inverseTransform(FloatMatrix x) {
        checkInput("inverseTransform", x);
        int cols = x.cols();
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            int c = i % cols;
            out[i] = (float) ((in[i] - shift[c]) / scale[c]);
        }
        return new FloatMatrix(x.rows(), cols, out);
    }

    /**
     * Number of columns the scaler was fitted on.
     *
     * @return the column count of the fitted data
     */
    public final int columnCount() {
        requireFitted("columnCount");
        return scale.length;
    }

    private void checkInput(String method, FloatMatrix x) {
        requireFitted(method);
        Objects.requireNonNull(x, "x");
        if (x.cols() != scale.length) {
            throw new IllegalArgumentException("x: expected [n x " + scale.length + "] (the columns it was fitted on), got ["
                    + x.rows() + " x " + x.cols() + "]");
        }
    }

    final void requireFitted(String method) {
        if (scale == null) {
            throw new IllegalStateException(getClass().getSimpleName() + "." + method
                    + ": call fit(trainingFeatures) first");
        }
    }
}
