package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import java.util.Arrays;
import java.util.Locale;

/**
 * Keras 3's {@code keras.metrics.AUC}: the area under the ROC (default) or precision-recall curve,
 * approximated from confusion counts at {@code numThresholds} (200) thresholds: {@code i / (T - 1)} for
 * {@code i = 1 .. T-2} plus the end points {@code -1e-7} and {@code 1 + 1e-7}. As Keras, evenly spaced
 * thresholds count each prediction (clipped to [0, 1]) into bucket {@code max(ceil(p (T - 1)) - 1, 0)}
 * (float32 arithmetic) and sum the buckets from the top; explicit {@code thresholds} compare
 * {@code p > t}. The curve is summed as {@code summation_method} says: {@code interpolation} (the
 * trapezoid for ROC; for PR, Davis and Goadrich's interpolation, Keras's {@code interpolate_pr_auc}),
 * {@code minoring} or {@code majoring}. Labels are positive when non-zero; all outputs are flattened into
 * one binary problem ({@code multi_label=False}; the multi-label average is not offered). With the
 * evenly spaced thresholds a NaN prediction makes the result NaN. In fit and evaluate of a single-output
 * model (without from_logits) the counts accumulate on the device ({@link DeviceConfusion}, the buckets as
 * {@code p (T - 1) > i}, which is Keras's bucket test); otherwise each batch is read back to the host.
 */
public final class AUC extends ConfusionMetric {

    /** Keras's {@code curve}. */
    public enum Curve {
        /** Recall against the false-positive rate (Keras's default). */
        ROC,
        /** Precision against recall. */
        PR
    }

    /** Keras's {@code summation_method}. */
    public enum Summation {
        /** Trapezoids (for PR, the interpolation of Davis and Goadrich); Keras's default. */
        INTERPOLATION,
        /** The lower of each pair of neighbouring heights. */
        MINORING,
        /** The higher of each pair of neighbouring heights. */
        MAJORING
    }

    /** Keras's {@code backend.epsilon()}, the margin of the end thresholds. */
    private static final double EPSILON = 1e-7;

    private final int numThresholds;
    private final Curve curve;
    private final Summation summation;
    private final boolean fromLogits;
    /** Explicit thresholds (with the end points), or null for Keras's evenly spaced buckets. */
    private final ConfusionCounts explicit;
    private final double[] tpBucket;
    private final double[] fpBucket;
    private boolean sawNaN;

    /** Keras's defaults: 200 thresholds, ROC, interpolation. */
    public AUC() {
        this(200, Curve.ROC, Summation.INTERPOLATION, null, false);
    }

    /**
     * {@code AUC(num_thresholds, curve, summation_method, thresholds, from_logits)}: {@code thresholds}
     * (in [0, 1]; null for evenly spaced ones) replaces {@code numThresholds} as in Keras; with
     * {@code fromLogits} the predictions go through a sigmoid first.
     *
     * @param numThresholds Keras's {@code num_thresholds}, the number of evenly spaced thresholds, &gt; 1
     *     (200 by default); ignored when {@code thresholds} is given
     * @param curve Keras's {@code curve}: {@link Curve#ROC} or {@link Curve#PR}; not null
     * @param summation Keras's {@code summation_method}, how the area between thresholds is summed; not null
     * @param thresholds explicit thresholds, each in [0, 1], any order (sorted, and the end points
     *     {@code -1e-7} and {@code 1 + 1e-7} added), or null for {@code numThresholds} evenly spaced ones
     * @param fromLogits Keras's {@code from_logits}: whether the predictions are logits, passed through a
     *     sigmoid before counting
     * @throws IllegalArgumentException if {@code curve} or {@code summation} is null, a threshold lies outside
     *     [0, 1] (or is NaN), or {@code thresholds} is null and {@code numThresholds <= 1}
     */
    public AUC(int numThresholds, Curve curve, Summation summation, double[] thresholds, boolean fromLogits) {
        super("auc");
        if (curve == null || summation == null) {
            throw new IllegalArgumentException("AUC: arguments 'curve' and 'summation_method' must not be null");
        }
        this.curve = curve;
        this.summation = summation;
        this.fromLogits = fromLogits;
        if (thresholds != null) {
            double[] sorted = thresholds.clone();
            Arrays.sort(sorted);
            for (double t : sorted) {
                if (!(t >= 0 && t <= 1)) {
                    throw new IllegalArgumentException("AUC: argument 'thresholds' must lie in [0, 1], got "
                            + Arrays.toString(thresholds));
                }
            }
            double[] all = new double[sorted.length + 2];
            all[0] = -EPSILON;
            System.arraycopy(sorted, 0, all, 1, sorted.length);
            all[all.length - 1] = 1 + EPSILON;
            this.numThresholds = all.length;
            this.explicit = new ConfusionCounts("AUC", all, 0, -1, false);
            this.tpBucket = null;
            this.fpBucket = null;
        } else {
            if (numThresholds <= 1) {
                throw new IllegalArgumentException("AUC: argument 'num_thresholds' must be > 1, got " + numThresholds);
            }
            this.numThresholds = numThresholds;
            this.explicit = null;
            this.tpBucket = new double[numThresholds];
            this.fpBucket = new double[numThresholds];
        }
    }

    @Override
    public void updateState(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
        checkBatch(yTrue, yPred, sampleWeight);
        float[] p = yPred.data();
        if (fromLogits) {
            p = p.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (1 / (1 + Math.exp(-p[i])));
            }
        }
        if (explicit != null) {
            explicit.add(name(), yTrue, new FloatMatrix(yPred.rows(), yPred.cols(), p), sampleWeight);
            return;
        }
        float[] t = yTrue.data();
        int cols = yPred.cols();
        float scale = numThresholds - 1;
        for (int i = 0; i < p.length; i++) {
            double w = sampleWeight == null ? 1.0 : sampleWeight[i / cols];
            float pi = p[i];
            if (Float.isNaN(pi)) {
                sawNaN = true;
                continue;
            }
            pi = pi < 0f ? 0f : pi > 1f ? 1f : pi;
            int bucket = Math.max((int) Math.ceil(pi * scale) - 1, 0);
            if (t[i] != 0f) {
                tpBucket[bucket] += w;
            } else {
                fpBucket[bucket] += w;
            }
        }
    }

    @Override
    void bind(Backend b, int outputs, Loss loss) {
        release();
        resetState();
        if (outputs == 1 && !fromLogits) {
            if (explicit != null) {
                countOnDevice(new DeviceConfusion(b, 1f, explicit.thresholds));
            } else {
                // Bucket max(ceil(q) - 1, 0) >= i, q = p (T - 1): always for i = 0, q > i in between, never at T - 1.
                float[] t = new float[numThresholds];
                for (int i = 0; i < t.length; i++) {
                    t[i] = i;
                }
                t[0] = Float.NEGATIVE_INFINITY;
                t[t.length - 1] = Float.POSITIVE_INFINITY;
                countOnDevice(new DeviceConfusion(b, numThresholds - 1, t));
            }
        }
    }

    @Override
    public void resetState() {
        if (device != null) {
            device.reset();
        }
        if (explicit != null) {
            explicit.reset();
        } else {
            Arrays.fill(tpBucket, 0);
            Arrays.fill(fpBucket, 0);
        }
        sawNaN = false;
    }

    @Override
    public double result() {
        if (sawNaN || (device != null && explicit == null && device.sawNaN())) {
            return Double.NaN;
        }
        int n = numThresholds;
        double[] tp;
        double[] fp;
        double[] tn;
        double[] fn;
        if (explicit != null) {
            tp = explicit.tp.clone();
            fp = explicit.fp.clone();
            tn = explicit.tn.clone();
            fn = explicit.fn.clone();
        } else {
            tp = new double[n];
            fp = new double[n];
            tn = new double[n];
            fn = new double[n];
            double positives = Arrays.stream(tpBucket).sum();
            double negatives = Arrays.stream(fpBucket).sum();
            double tpSum = 0;
            double fpSum = 0;
            for (int i = n - 1; i >= 0; i--) {
                tpSum += tpBucket[i];
                fpSum += fpBucket[i];
                tp[i] = tpSum;
                fp[i] = fpSum;
                fn[i] = positives - tpSum;
                tn[i] = negatives - fpSum;
            }
        }
        if (device != null) {
            device.addTo(tp, fp, tn, fn);
        }
        if (curve == Curve.PR && summation == Summation.INTERPOLATION) {
            return interpolatedPrAuc(tp, fp, fn);
        }
        double sum = 0;
        for (int i = 0; i < n - 1; i++) {
            double x0 = curve == Curve.ROC ? ConfusionCounts.divideNoNan(fp[i], fp[i] + tn[i]) : recall(tp, fn, i);
            double x1 = curve == Curve.ROC ? ConfusionCounts.divideNoNan(fp[i + 1], fp[i + 1] + tn[i + 1])
                    : recall(tp, fn, i + 1);
            double y0 = curve == Curve.ROC ? recall(tp, fn, i) : ConfusionCounts.divideNoNan(tp[i], tp[i] + fp[i]);
            double y1 = curve == Curve.ROC ? recall(tp, fn, i + 1)
                    : ConfusionCounts.divideNoNan(tp[i + 1], tp[i + 1] + fp[i + 1]);
            double height = switch (summation) {
                case INTERPOLATION -> (y0 + y1) / 2;
                case MINORING -> Math.min(y0, y1);
                case MAJORING -> Math.max(y0, y1);
            };
            sum += (x0 - x1) * height;
        }
        return sum;
    }

    private static double recall(double[] tp, double[] fn, int i) {
        return ConfusionCounts.divideNoNan(tp[i], tp[i] + fn[i]);
    }

    /** Keras's {@code interpolate_pr_auc}: precision interpolated linearly in the predicted positives. */
    private static double interpolatedPrAuc(double[] tp, double[] fp, double[] fn) {
        double sum = 0;
        for (int i = 0; i < tp.length - 1; i++) {
            double dtp = tp[i] - tp[i + 1];
            double p0 = tp[i] + fp[i];
            double p1 = tp[i + 1] + fp[i + 1];
            double slope = ConfusionCounts.divideNoNan(dtp, Math.max(p0 - p1, 0));
            double intercept = tp[i + 1] - slope * p1;
            double ratio = p0 > 0 && p1 > 0 ? ConfusionCounts.divideNoNan(p0, Math.max(p1, 0)) : 1;
            sum += ConfusionCounts.divideNoNan(slope * (dtp + intercept * Math.log(ratio)),
                    Math.max(tp[i + 1] + fn[i + 1], 0));
        }
        return sum;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "auc(num_thresholds=%d, curve=%s, summation_method=%s)", numThresholds,
                curve, summation.name().toLowerCase(Locale.ROOT));
    }
}
