package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Per-sample weights of fit and evaluate, and Keras's rule that turns a {@code class_weight} map into them:
 * a sample's class is the argmax of its target row (one-hot or probabilities), or its single target
 * rounded half to even (class indices, 0/1 labels); a class missing from the map weighs 1.
 */
final class SampleWeights {

    /** Class indices above this are no class a dense model has; refusing them bounds the lookup table. */
    static final int MAX_CLASS = 1 << 20;

    /** The weight of each class index; classes past the end weigh 1. */
    private final float[] byClass;

    private SampleWeights(float[] byClass) {
        this.byClass = byClass;
    }

    /**
     * Checks a {@code class_weight} map: keys are class indices in [0, {@value #MAX_CLASS}], values finite.
     *
     * @return the lookup, or null for a null map
     */
    static SampleWeights ofClasses(Map<Integer, ? extends Number> classWeight) {
        if (classWeight == null) {
            return null;
        }
        int max = -1;
        for (Map.Entry<Integer, ? extends Number> e : classWeight.entrySet()) {
            Integer k = e.getKey();
            if (k == null || k < 0 || k > MAX_CLASS) {
                throw new IllegalArgumentException("fit: argument 'class_weight' must map class indices in [0, "
                        + MAX_CLASS + "] to weights, got the key " + k);
            }
            Number v = e.getValue();
            if (v == null || !Double.isFinite(v.doubleValue())) {
                throw new IllegalArgumentException("fit: argument 'class_weight' must map class " + k
                        + " to a finite weight, got " + v);
            }
            max = Math.max(max, k);
        }
        float[] table = new float[max + 1];
        Arrays.fill(table, 1f);
        for (Map.Entry<Integer, ? extends Number> e : classWeight.entrySet()) {
            table[e.getKey()] = e.getValue().floatValue();
        }
        return new SampleWeights(table);
    }

    /** The weight of every row of the raw targets {@code y} (before any loss-specific conversion). */
    float[] forTargets(FloatMatrix y) {
        float[] w = new float[y.rows()];
        forRows(y.data(), y.rows(), y.cols(), w);
        return w;
    }

    /** Writes the weight of each of the first {@code rows} rows of {@code y} ({@code cols} a row) into {@code w}. */
    void forRows(float[] y, int rows, int cols, float[] w) {
        for (int r = 0; r < rows; r++) {
            // A NaN label is no class (weight 1); numpy would cast it to an arbitrary integer.
            long cls = cols != 1 ? TopKCategoricalAccuracy.argmax(y, r * cols, cols)
                    : Float.isNaN(y[r]) ? -1 : (long) Math.rint(y[r]);
            w[r] = cls >= 0 && cls < byClass.length ? byClass[(int) cls] : 1f;
        }
    }

    static float[] check(String op, String arg, float[] w, int n) {
        Objects.requireNonNull(w, op + ": argument '" + arg + "' is null");
        if (w.length != n) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' must hold one weight per sample ("
                    + n + "), got " + w.length);
        }
        checkFinite(op, arg, w, w.length, 0);
        return w;
    }

    /** Checks that the first {@code count} weights are finite; {@code firstSample} numbers them in messages. */
    static void checkFinite(String op, String arg, float[] w, int count, long firstSample) {
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(w[i])) {
                throw new IllegalArgumentException(op + ": argument '" + arg + "' must hold finite weights, got "
                        + w[i] + " for sample " + (firstSample + i));
            }
        }
    }
}
