package dev.myelin.nn;

import dev.myelin.data.BatchSource;
import dev.myelin.data.FloatMatrix;

/**
 * The training and validation batches of one fit call, resolved and checked from its arguments before any
 * training: matrices (with Keras's validation split, which holds out the last samples with their sample
 * weights) or a {@link BatchSource}; sample or class weights; validation matrices or a validation source.
 */
final class FitData implements AutoCloseable {

    final BatchFeed train;
    /** The validation batches, or null. */
    final BatchFeed validation;

    private FitData(BatchFeed train, BatchFeed validation) {
        this.train = train;
        this.validation = validation;
    }

    static FitData of(Model model, FloatMatrix x, FloatMatrix y, FitOptions options) {
        InputChecks.checkData(model, "fit", "x", "y", x, y);
        refuseBothWeights(options, false);
        Loss loss = model.loss;
        float[] w = options.sampleWeight() == null ? null
                : SampleWeights.check("fit", "sample_weight", options.sampleWeight(), x.rows());
        if (options.classWeight() != null) {
            w = SampleWeights.ofClasses(options.classWeight()).forTargets(y);
        }
        FloatMatrix trainX = x;
        FloatMatrix trainY = loss.prepareTargets("y", y, model.outputs);
        float[] trainW = w;
        FloatMatrix valX = null;
        FloatMatrix valY = null;
        float[] valW = null;
        if (options.validationSplit() > 0 && options.validationX() == null && options.validationSource() == null) {
            // Keras holds out the last samples, before any shuffling.
            int splitAt = (int) Math.floor(x.rows() * (1.0 - options.validationSplit()));
            if (splitAt < 1 || splitAt >= x.rows()) {
                throw new IllegalArgumentException("fit: argument 'validation_split' = " + options.validationSplit()
                        + " leaves " + splitAt + " of " + x.rows() + " samples for training and " + (x.rows() - splitAt)
                        + " for validation; both must be >= 1");
            }
            valX = x.rowRange(splitAt, x.rows());
            valY = trainY.rowRange(splitAt, x.rows());
            trainX = x.rowRange(0, splitAt);
            trainY = trainY.rowRange(0, splitAt);
            if (w != null) {
                trainW = java.util.Arrays.copyOfRange(w, 0, splitAt);
                // Keras splits sample_weight with the data; class weights apply to training only.
                valW = options.classWeight() == null ? java.util.Arrays.copyOfRange(w, splitAt, w.length) : null;
            }
        }
        int n = trainX.rows();
        if (n == 0) {
            throw new IllegalArgumentException("fit: argument 'x' has no samples, got [0 x " + x.cols() + "]");
        }
        int batch = Math.min(options.batchSize(), n);
        BatchFeed validation = valX == null ? validation(model, options, batch)
                : new MatrixFeed(model, valX, valY, valW, batch);
        return new FitData(new MatrixFeed(model, trainX, trainY, trainW, batch), validation);
    }

    static FitData of(Model model, BatchSource source, FitOptions options) {
        SourceFeed.check(model, "fit", source, true);
        refuseBothWeights(options, source.hasSampleWeights());
        if (options.sampleWeight() != null) {
            throw new IllegalArgumentException("fit: argument 'sample_weight' is not supported with a BatchSource;"
                    + " the source yields the weights (" + source + ")");
        }
        if (options.validationSplit() > 0 && options.validationX() == null && options.validationSource() == null) {
            throw new IllegalArgumentException("fit: argument 'validation_split' = " + options.validationSplit()
                    + " needs matrices; with a BatchSource pass validation_data (" + source + ")");
        }
        SampleWeights byClass = SampleWeights.ofClasses(options.classWeight());
        BatchFeed train = new SourceFeed(model, "fit", source, options.batchSize(), byClass);
        return new FitData(train, validation(model, options, options.batchSize()));
    }

    /** The validation data given as matrices or a source, or null. */
    private static BatchFeed validation(Model model, FitOptions options, int batch) {
        if (options.validationSource() != null) {
            SourceFeed.check(model, "fit", options.validationSource(), true);
            return new SourceFeed(model, "fit", options.validationSource(), batch, null);
        }
        if (options.validationX() == null) {
            return null;
        }
        InputChecks.checkData(model, "fit", "validation_data x", "validation_data y", options.validationX(),
                options.validationY());
        FloatMatrix valY = model.loss.prepareTargets("validation_data y", options.validationY(), model.outputs);
        return new MatrixFeed(model, options.validationX(), valY, options.validationSampleWeight(), batch);
    }

    private static void refuseBothWeights(FitOptions options, boolean sourceWeights) {
        if (options.classWeight() != null && (options.sampleWeight() != null || sourceWeights)) {
            throw new IllegalArgumentException("fit: arguments 'class_weight' and 'sample_weight' cannot both be"
                    + " given (as in Keras)" + (sourceWeights ? "; the source yields sample weights" : ""));
        }
    }

    @Override
    public void close() {
        try {
            train.close();
        } finally {
            if (validation != null) {
                validation.close();
            }
        }
    }
}
