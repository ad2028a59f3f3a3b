package dev.myelin.nn;

import dev.myelin.data.BatchSource;
import dev.myelin.data.FloatMatrix;
import java.util.Objects;

/**
 * The validation data given to {@link FitOptions}: matrices, with or without a weight per sample, or
 * a source. One value holds whichever form was given last, so a later form replaces every part of an
 * earlier one.
 *
 * @param x the validation features, or null for a source
 * @param y the validation targets, or null for a source
 * @param weights one weight per row of {@code x}, or null
 * @param source the streamed validation data, or null for matrices
 */
record ValidationData(FloatMatrix x, FloatMatrix y, float[] weights, BatchSource source) {

    /** Matrices of as many targets as samples, unweighted. */
    static ValidationData ofMatrices(FloatMatrix x, FloatMatrix y) {
        Objects.requireNonNull(x, "fit: argument 'validation_data' x is null");
        Objects.requireNonNull(y, "fit: argument 'validation_data' y is null");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("fit: argument 'validation_data' must have as many targets as"
                    + " samples: x is [" + x.rows() + " x " + x.cols() + "], y is [" + y.rows() + " x " + y.cols() + "]");
        }
        return new ValidationData(x, y, null, null);
    }

    /** These matrices with one finite weight per sample. */
    ValidationData weighted(float[] sampleWeight) {
        return new ValidationData(x, y, SampleWeights.check("fit", "validation_data sample_weight", sampleWeight,
                x.rows()), null);
    }

    /** Streamed validation data. */
    static ValidationData ofSource(BatchSource source) {
        return new ValidationData(null, null, null,
                Objects.requireNonNull(source, "fit: argument 'validation_data' is null"));
    }
}
