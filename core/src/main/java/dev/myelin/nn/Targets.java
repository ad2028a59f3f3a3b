package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;

/**
 * The targets a {@link Loss} trains on, checked and converted: the column count the model's output needs,
 * sparse labels as integers in [0, outputs), and the hinge losses' 0/1 labels mapped to -1/1 (as Keras
 * does), for a whole matrix or in place for a batch streamed from disk.
 */
final class Targets {

    private Targets() {
    }

    /** Checks {@code y} for the loss and the model's {@code outputs}; returns it, or a converted copy. */
    static FloatMatrix prepare(Loss loss, String arg, FloatMatrix y, int outputs) {
        int want = loss.targetColumns(outputs);
        if (y.cols() != want) {
            throw new IllegalArgumentException("argument '" + arg + "' must have " + want + " column"
                    + (want == 1 ? "" : "s") + (loss.isSparse() ? " (class indices for " + loss.name() + ")"
                    : " (the model's output width)") + ", got [" + y.rows() + " x " + y.cols() + "]");
        }
        float[] d = y.data();
        checkClassIndices(loss, arg, d, d.length, outputs, 0);
        if (hingeFromBinary(loss, d, d.length)) {
            float[] out = d.clone();
            toHingeLabels(out, out.length);
            return new FloatMatrix(y.rows(), y.cols(), out);
        }
        return y;
    }

    /**
     * {@link #prepare} in place on the first {@code count} values of a streamed batch (Keras converts hinge
     * labels batch by batch too); {@code firstRow} numbers the rows in messages.
     */
    static void prepareRows(Loss loss, String arg, float[] y, int count, int outputs, long firstRow) {
        checkClassIndices(loss, arg, y, count, outputs, firstRow);
        if (hingeFromBinary(loss, y, count)) {
            toHingeLabels(y, count);
        }
    }

    /** Sparse labels must be integers in [0, outputs). */
    private static void checkClassIndices(Loss loss, String arg, float[] d, int count, int outputs, long firstRow) {
        if (!loss.isSparse()) {
            return;
        }
        for (int i = 0; i < count; i++) {
            float v = d[i];
            if (!(v >= 0 && v < outputs) || v != Math.rint(v)) {
                throw new IllegalArgumentException("argument '" + arg + "': " + loss.name() + " needs class indices"
                        + " in [0, " + outputs + "), got " + v + " in row " + (firstRow + i));
            }
        }
    }

    /** True when the loss is a hinge loss and every label is 0 or 1. */
    private static boolean hingeFromBinary(Loss loss, float[] d, int count) {
        if (!loss.isHinge()) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (d[i] != 0f && d[i] != 1f) {
                return false;
            }
        }
        return true;
    }

    private static void toHingeLabels(float[] d, int count) {
        for (int i = 0; i < count; i++) {
            d[i] = 2f * d[i] - 1f;
        }
    }
}
