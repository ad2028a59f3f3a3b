package dev.myelin.cpu;

import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.RowLoss;

/**
 * The row-coupled losses of {@link RowLoss} over rows {@code [rowFrom, rowTo)}, in double and rounded once
 * (output-layer tensors: accuracy costs nothing measurable). Sums run in double, and NaN propagates through
 * them and through {@link Math#max}, so a NaN anywhere in a row makes that row's results NaN.
 */
final class RowLosses {

    private static final float EPS_F = ElementLoss.EPS;
    private static final float ONE_MINUS_EPS_F = 1f - ElementLoss.EPS;
    private static final double EPS_SQUARED = (double) EPS_F * EPS_F;

    private RowLosses() {
    }

    static void rowLoss(RowLoss kind, float scale, float[] p, float[] t, float[] loss, float[] grad, int cols,
            int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            switch (kind) {
                case CATEGORICAL_CROSSENTROPY -> crossEntropy(scale, p, t, loss, grad, o, cols);
                case CATEGORICAL_HINGE -> hinge(scale, p, t, loss, grad, o, cols);
                case COSINE_SIMILARITY -> cosine(scale, p, t, loss, grad, o, cols);
            }
        }
    }

    /** Keras: {@code p / sum(p)}, clipped to [EPS, 1 - EPS] (in float32), then {@code -sum t ln q}. */
    private static void crossEntropy(float scale, float[] p, float[] t, float[] loss, float[] grad, int o, int cols) {
        double sum = 0;
        for (int j = o; j < o + cols; j++) {
            sum += p[j];
        }
        // A NaN share is not clipped (Math.min and max keep it NaN); a NaN target counts wherever it stands,
        // so that it makes the row's whole gradient NaN.
        double unclippedTargets = 0;
        for (int j = o; j < o + cols; j++) {
            float q = (float) (p[j] / sum);
            loss[j] = (float) (scale * -t[j] * Math.log(Math.min(Math.max(q, EPS_F), ONE_MINUS_EPS_F)));
            if (!clipped(q) || Float.isNaN(t[j])) {
                unclippedTargets += t[j];
            }
        }
        double shared = unclippedTargets / sum;
        for (int j = o; j < o + cols; j++) {
            double own = clipped((float) (p[j] / sum)) ? 0 : -t[j] / (double) p[j];
            grad[j] = (float) (scale * (own + shared));
        }
    }

    /** Whether a share is clipped: a number outside [EPS, 1 - EPS] (never NaN). */
    private static boolean clipped(float q) {
        return q < EPS_F || q > ONE_MINUS_EPS_F;
    }

    /**
     * Keras: {@code max(max_j (1 - t_j) p_j - sum t p + 1, 0)} (NaN wins the max); the row's loss goes to its
     * first column, the others hold 0 (NaN when the loss is).
     */
    private static void hinge(float scale, float[] p, float[] t, float[] loss, float[] grad, int o, int cols) {
        double pos = 0;
        double neg = Double.NEGATIVE_INFINITY;
        int at = o;
        for (int j = o; j < o + cols; j++) {
            pos += (double) t[j] * p[j];
            double v = (1 - (double) t[j]) * p[j];
            if (v > neg || Double.isNaN(v) && !Double.isNaN(neg)) {
                neg = v;
                at = j;
            }
        }
        double margin = neg - pos + 1;
        double l = Math.max(margin, 0);
        for (int j = o; j < o + cols; j++) {
            loss[j] = j == o || Double.isNaN(l) ? (float) (scale * l) : 0f;
            double g = Double.isNaN(margin) ? margin : margin > 0 ? (j == at ? 1 - t[j] : 0) - t[j] : 0;
            grad[j] = (float) (scale * g);
        }
    }

    /** Keras: {@code -sum n(t) n(p)} with {@code n(v) = v / sqrt(max(sum v^2, EPS^2))}. */
    private static void cosine(float scale, float[] p, float[] t, float[] loss, float[] grad, int o, int cols) {
        double pp = 0;
        double tt = 0;
        for (int j = o; j < o + cols; j++) {
            pp += (double) p[j] * p[j];
            tt += (double) t[j] * t[j];
        }
        double np = 1 / Math.sqrt(Math.max(pp, EPS_SQUARED));
        double nt = 1 / Math.sqrt(Math.max(tt, EPS_SQUARED));
        double l = 0;
        for (int j = o; j < o + cols; j++) {
            double share = -(t[j] * nt) * (p[j] * np);
            loss[j] = (float) (scale * share);
            l += share;
        }
        boolean clamped = pp < EPS_SQUARED;
        for (int j = o; j < o + cols; j++) {
            double g = clamped ? -t[j] * nt * np : -np * (t[j] * nt + l * p[j] * np);
            grad[j] = (float) (scale * g);
        }
    }
}
