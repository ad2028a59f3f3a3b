package dev.myelin.cpu;

import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;

/**
 * The per-element losses of {@link ElementLoss} and the fused output activation + cross-entropy of
 * {@link LogitsLoss}, over ranges. The arithmetic is done in double and rounded once: these ops run
 * on output-layer tensors (batch x classes), so accuracy costs nothing measurable.
 */
final class Losses {

    private static final double EPS = ElementLoss.EPS;
    private static final float EPS_F = ElementLoss.EPS;
    private static final float ONE_MINUS_EPS_F = 1f - ElementLoss.EPS;
    private static final double LN2 = Math.log(2);

    private Losses() {
    }

    static void elementLoss(ElementLoss kind, float param, float param2, float scale, float[] pred, float[] target,
            float[] loss, float[] grad, int from, int to) {
        double s = scale;
        double d = param;
        for (int i = from; i < to; i++) {
            double p = pred[i];
            double t = target[i];
            if (Double.isNaN(p) || Double.isNaN(t)) {
                // The clips and branches below would turn a NaN into a number (a 0 gradient, a bound).
                loss[i] = Float.NaN;
                grad[i] = Float.NaN;
                continue;
            }
            double l;
            double g;
            switch (kind) {
                case MSE -> {
                    double e = p - t;
                    l = e * e;
                    g = 2 * e;
                }
                case MAE -> {
                    double e = p - t;
                    l = Math.abs(e);
                    g = Math.signum(e);
                }
                case MAPE -> {
                    double den = Math.max(Math.abs(t), EPS);
                    l = 100 * Math.abs(t - p) / den;
                    g = 100 * Math.signum(p - t) / den;
                }
                case MSLE -> {
                    double lp = Math.log1p(Math.max(p, EPS));
                    double lt = Math.log1p(Math.max(t, EPS));
                    l = (lp - lt) * (lp - lt);
                    g = p < EPS ? 0 : 2 * (lp - lt) / (p + 1);
                }
                case HINGE -> {
                    double h = 1 - t * p;
                    l = Math.max(h, 0);
                    g = h > 0 ? -t : 0;
                }
                case SQUARED_HINGE -> {
                    double h = Math.max(1 - t * p, 0);
                    l = h * h;
                    g = -2 * t * h;
                }
                case HUBER -> {
                    double e = p - t;
                    double a = Math.abs(e);
                    l = a <= d ? e * e / 2 : d * a - d * d / 2;
                    g = a <= d ? e : d * Math.signum(e);
                }
                case BINARY_CROSSENTROPY -> {
                    float qf = clip(pred[i]);
                    double q = qf;
                    l = -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
                    g = qf != pred[i] ? 0 : (q - t) / (q * (1 - q));
                }
                case CATEGORICAL_CROSSENTROPY -> {
                    float qf = clip(pred[i]);
                    double q = qf;
                    l = -t * Math.log(q);
                    g = qf != pred[i] ? 0 : -t / q;
                }
                case LOG_COSH -> {
                    double e = p - t;
                    double a = Math.abs(e);
                    l = a + Math.log1p(Math.exp(-2 * a)) - LN2;
                    g = Math.tanh(e);
                }
                case POISSON -> {
                    l = p - t * Math.log(p + EPS_F);
                    g = 1 - t / (p + EPS_F);
                }
                case KL_DIVERGENCE -> {
                    double u = clipUnit(target[i]);
                    double q = clipUnit(pred[i]);
                    l = u * Math.log(u / q);
                    boolean clipped = pred[i] < EPS_F || pred[i] > 1f;
                    g = clipped ? 0 * u : -u / q;
                }
                case BINARY_FOCAL_CROSSENTROPY, BINARY_FOCAL_CROSSENTROPY_BALANCED -> {
                    float qf = clip(pred[i]);
                    double q = qf;
                    double bce = -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
                    double dbce = qf != pred[i] ? 0 * p : (q - t) / (q * (1 - q));
                    double m = t * (1 - p) + (1 - t) * p;                // 1 - p_t, without cancellation
                    double focal = Math.pow(m, d);
                    double dfocal = d == 0 ? 0 : d * Math.pow(m, d - 1) * (1 - 2 * t);
                    double w = kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY ? 1 : t * param2 + (1 - t) * (1 - param2);
                    l = w * focal * bce;
                    g = w * (dfocal * bce + focal * dbce);
                }
                default -> throw new IllegalArgumentException("elementLoss: unknown kind " + kind);
            }
            loss[i] = (float) (s * l);
            grad[i] = (float) (s * g);
        }
    }

    /** Keras's clip of a probability to {@code [1e-7, 1 - 1e-7]} in float32. */
    private static float clip(float p) {
        return Math.min(Math.max(p, EPS_F), ONE_MINUS_EPS_F);
    }

    /** Keras's clip to {@code [1e-7, 1]} of kl_divergence (both sides), in float32; NaN stays NaN. */
    private static float clipUnit(float p) {
        return Math.min(Math.max(p, EPS_F), 1f);
    }

    /** The same clip of a probability held in double, with the float32 bounds. */
    private static double clip(double p) {
        return Math.min(Math.max(p, EPS_F), ONE_MINUS_EPS_F);
    }

    /** SOFTMAX cross-entropy over rows {@code [rowFrom, rowTo)} of {@code cols} columns. */
    static void softmaxCrossEntropy(Kernels k, boolean clip, float scale, float[] z, float[] target, float[] probs,
            float[] loss, float[] grad, int cols, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = o; j < o + cols; j++) {
                max = Math.max(max, z[j]);
            }
            double sum = k.expShifted(z, probs, o, cols, max);
            double lnSum = Math.log(sum);
            for (int j = o; j < o + cols; j++) {
                // The probability in double feeds the clipped log, so that it is not rounded twice.
                double pd = probs[j] / sum;
                float p = (float) pd;
                probs[j] = p;
                double t = target[j];
                double l = clip ? -t * Math.log(clip(pd)) : -t * ((double) z[j] - max - lnSum);
                loss[j] = (float) (scale * l);
                grad[j] = scale * (p - target[j]);
            }
        }
    }

    /** SIGMOID cross-entropy over elements {@code [from, to)}. */
    static void sigmoidCrossEntropy(boolean clip, float scale, float[] z, float[] target, float[] probs, float[] loss,
            float[] grad, int from, int to) {
        for (int i = from; i < to; i++) {
            double x = z[i];
            double e = Math.exp(-Math.abs(x));
            double pd = x >= 0 ? 1 / (1 + e) : e / (1 + e);
            float p = (float) pd;
            probs[i] = p;
            double t = target[i];
            double l;
            if (clip) {
                double q = clip(pd);
                l = -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
            } else {
                l = Math.max(x, 0) - x * t + Math.log1p(e);
            }
            loss[i] = (float) (scale * l);
            grad[i] = scale * (p - target[i]);
        }
    }
}
