package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.util.Arrays;

/**
 * Weighted true/false positive/negative counts per threshold, as Keras 3's
 * {@code metrics_utils.update_confusion_matrix_variables} accumulates them (in float64 here): a label
 * is positive when non-zero, a prediction when it is greater than the threshold (in float32, as Keras
 * compares); {@code topK} first keeps the k largest predictions of each row (the lower index first on
 * ties) and sets the others to {@link #NEG_INF}; {@code classId} then keeps one column.
 */
final class ConfusionCounts {

    /** Keras's {@code metrics_utils.NEG_INF}, what top_k filtering puts in place of the other predictions. */
    static final float NEG_INF = -1e10f;

    final float[] thresholds;
    private final int topK;
    private final int classId;
    final double[] tp;
    final double[] fp;
    final double[] tn;
    final double[] fn;

    /** {@code topK} and {@code classId} are 0 and -1 when unused; thresholds must lie in [0, 1]. */
    ConfusionCounts(String metric, double[] thresholds, int topK, int classId) {
        this(metric, thresholds, topK, classId, true);
    }

    /** As above; {@code checkRange} false admits AUC's end points just outside [0, 1]. */
    ConfusionCounts(String metric, double[] thresholds, int topK, int classId, boolean checkRange) {
        if (thresholds == null || thresholds.length == 0) {
            throw new IllegalArgumentException(metric + ": argument 'thresholds' must hold at least one value");
        }
        this.thresholds = new float[thresholds.length];
        for (int i = 0; i < thresholds.length; i++) {
            double t = thresholds[i];
            if (checkRange && !(t >= 0 && t <= 1) && (float) t != NEG_INF || Double.isNaN(t)) {
                throw new IllegalArgumentException(metric + ": argument 'thresholds' must lie in [0, 1], got "
                        + Arrays.toString(thresholds));
            }
            this.thresholds[i] = (float) t;
        }
        if (topK < 0) {
            throw new IllegalArgumentException(metric + ": argument 'top_k' must be >= 1, got " + topK);
        }
        if (classId < -1) {
            throw new IllegalArgumentException(metric + ": argument 'class_id' must be >= 0, got " + classId);
        }
        this.topK = topK;
        this.classId = classId;
        tp = new double[thresholds.length];
        fp = new double[thresholds.length];
        tn = new double[thresholds.length];
        fn = new double[thresholds.length];
    }

    private ConfusionCounts(ConfusionCounts from) {
        thresholds = from.thresholds;
        topK = from.topK;
        classId = from.classId;
        tp = from.tp.clone();
        fp = from.fp.clone();
        tn = from.tn.clone();
        fn = from.fn.clone();
    }

    /** A copy to add other counts into. */
    ConfusionCounts copy() {
        return new ConfusionCounts(this);
    }

    /** Whether the device can count these: no top-k filter and no class selection. */
    boolean plain() {
        return topK == 0 && classId < 0;
    }

    void add(String metric, FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
        int cols = yPred.cols();
        if (classId >= cols) {
            throw new IllegalArgumentException(metric + ": argument 'class_id' " + classId + " is not a column of"
                    + " y_pred [" + yPred.rows() + " x " + cols + "]");
        }
        float[] row = new float[cols];
        for (int r = 0; r < yPred.rows(); r++) {
            double w = sampleWeight == null ? 1.0 : sampleWeight[r];
            System.arraycopy(yPred.data(), r * cols, row, 0, cols);
            if (topK > 0) {
                keepTopK(row, topK);
            }
            int from = classId >= 0 ? classId : 0;
            int to = classId >= 0 ? classId + 1 : cols;
            for (int j = from; j < to; j++) {
                boolean label = yTrue.data()[r * cols + j] != 0f;
                for (int k = 0; k < thresholds.length; k++) {
                    boolean predicted = row[j] > thresholds[k];
                    if (predicted) {
                        if (label) {
                            tp[k] += w;
                        } else {
                            fp[k] += w;
                        }
                    } else if (label) {
                        fn[k] += w;
                    } else {
                        tn[k] += w;
                    }
                }
            }
        }
    }

    /** Keras's {@code _filter_top_k}: {@code x mask + NEG_INF (1 - mask)} for the mask of the k largest. */
    static void keepTopK(float[] row, int k) {
        boolean[] keep = new boolean[row.length];
        for (int n = 0; n < Math.min(k, row.length); n++) {
            int best = -1;
            for (int j = 0; j < row.length; j++) {
                // NaN ranks first, as in a descending sort that puts NaN at the top.
                if (!keep[j] && (best < 0 || row[j] > row[best] || (Float.isNaN(row[j]) && !Float.isNaN(row[best])))) {
                    best = j;
                }
            }
            keep[best] = true;
        }
        for (int j = 0; j < row.length; j++) {
            row[j] = keep[j] ? row[j] * 1f + NEG_INF * 0f : row[j] * 0f + NEG_INF;
        }
    }

    void reset() {
        Arrays.fill(tp, 0);
        Arrays.fill(fp, 0);
        Arrays.fill(tn, 0);
        Arrays.fill(fn, 0);
    }

    /** Keras's {@code divide_no_nan}: 0 where the denominator is 0. */
    static double divideNoNan(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
