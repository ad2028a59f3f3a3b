package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;

/** The argument checks of a model's data entry points, with messages that name the argument and shapes. */
final class InputChecks {

    private InputChecks() {
    }

    /** Builds the model for {@code x}'s width when it is not built yet; checks the width otherwise. */
    static void ensureBuilt(Model model, String op, String arg, FloatMatrix x) {
        if (!model.built || x.cols() != model.inputSize) {
            ensureBuilt(model, op, arg, x.cols(), "[" + x.rows() + " x " + x.cols() + "]");
        }
    }

    /** {@link #ensureBuilt(Model, String, String, FloatMatrix)} for data of {@code features} columns shown as {@code shape}. */
    static void ensureBuilt(Model model, String op, String arg, int features, String shape) {
        if (!model.built) {
            if (model.inputSize > 0 && features != model.inputSize) {
                throw wrongWidth(model, op, arg, shape);
            }
            model.build(features);
        }
        if (features != model.inputSize) {
            throw wrongWidth(model, op, arg, shape);
        }
    }

    private static IllegalArgumentException wrongWidth(Model model, String op, String arg, String shape) {
        return new IllegalArgumentException(op + ": argument '" + arg + "' must have " + model.inputSize
                + " columns (the model's input size), got " + shape);
    }

    /** Checks a pair of inputs and targets for the compiled loss (building the model if needed). */
    static void checkData(Model model, String op, String xArg, String yArg, FloatMatrix x, FloatMatrix y) {
        // Explicit checks: a message built eagerly for requireNonNull would allocate on every step.
        if (x == null || y == null) {
            throw new NullPointerException(op + ": argument '" + (x == null ? xArg : yArg) + "' is null");
        }
        ensureBuilt(model, op, xArg, x);
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException(op + ": arguments '" + xArg + "' and '" + yArg
                    + "' must have the same number of rows, got [" + x.rows() + " x " + x.cols() + "] and ["
                    + y.rows() + " x " + y.cols() + "]");
        }
        Loss loss = model.loss;
        int want = loss.targetColumns(model.outputs);
        if (y.cols() != want) {
            throw new IllegalArgumentException(op + ": argument '" + yArg + "' must have " + want + " column"
                    + (want == 1 ? "" : "s") + (loss.isSparse() ? " (class indices for " + loss.name() + ")"
                    : " (the model's output width)") + ", got [" + y.rows() + " x " + y.cols() + "]");
        }
    }
}
