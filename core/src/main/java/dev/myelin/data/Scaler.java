package dev.myelin.data;

/**
 * A per-column feature transform learnt from training data: {@link #fit} on the training
 * features, then {@link #transform} the training, validation and test features with the same
 * parameters (so no information leaks from the held-out data). Transforming before fitting is an
 * {@link IllegalStateException}.
 */
public interface Scaler {

    /**
     * Learns the parameters of each column of {@code x}; returns this scaler.
     *
     * @param x the training data
     * @return this scaler
     */
    Scaler fit(FloatMatrix x);

    /**
     * Whether {@link #fit} has been called.
     *
     * @return true when fitted
     */
    boolean isFitted();

    /**
     * A new matrix: {@code x} scaled column by column (same shape; {@code x} is not modified).
     *
     * @param x data with the fitted column count
     * @return the scaled data
     */
    FloatMatrix transform(FloatMatrix x);

    /**
     * A new matrix: undoes {@link #transform}.
     *
     * @param x scaled data with the fitted column count
     * @return the data in its original units
     */
    FloatMatrix inverseTransform(FloatMatrix x);

    /**
     * {@link #fit} then {@link #transform} on the same data.
     *
     * @param x the training data
     * @return the scaled data
     */
    default FloatMatrix fitTransform(FloatMatrix x) {
        return fit(x).transform(x);
    }

    /**
     * The data set with its features transformed and its labels kept.
     *
     * @param data a data set with the fitted feature count
     * @return a new data set
     */
    default Dataset transform(Dataset data) {
        return data.withFeatures(transform(data.features()));
    }
}
