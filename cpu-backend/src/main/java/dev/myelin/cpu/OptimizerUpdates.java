package dev.myelin.cpu;

import dev.myelin.spi.UpdateRule;

/**
 * The fused optimizer steps of {@link UpdateRule} over a range of elements: one pass reads the
 * gradient, folds in the L1/L2 terms and updates the parameter and the rule's slots in place.
 * Plain loops over {@code float[]} (C2 vectorises the simple ones); the step is memory-bound.
 */
final class OptimizerUpdates {

    private OptimizerUpdates() {
    }

    /** {@code pre[]}: the clipping scale, the clipping bounds (low, high) and the weight decay. */
    static final int SCALE = 0;
    static final int LOW = 1;
    static final int HIGH = 2;
    static final int DECAY = 3;

    /**
     * The regularized gradient {@code g + l1 sign(w) + 2 l2 w} (sign(0) = 0, sign(NaN) = NaN), each term only
     * where its factor is non-zero ({@code 0 * w} would turn an infinite weight into NaN), scaled and
     * clipped; {@code Math.min/max} let NaN through, and C2 vectorizes them.
     */
    private static float grad(float g, float w, float l1, float l2, float scale, float low, float high) {
        float r = l1 == 0f && l2 == 0f ? g : g + (l1 == 0f ? 0f : l1 * Math.signum(w)) + (l2 == 0f ? 0f : 2f * l2 * w);
        return Math.max(low, Math.min(high, r * scale));
    }

    /** Keras 3's decoupled weight decay {@code w - w decay}; skipped at 0 so that an infinite weight stays so. */
    private static float decayed(float w, float decay) {
        return decay == 0f ? w : w - w * decay;
    }

    static void update(UpdateRule rule, float[] c, float l1, float l2, float[] pre, float[] w, float[] g, float[][] s,
            int from, int to) {
        // Locals, not pre[] reads in the loops: C2 cannot tell pre from w and would reload it per element.
        float scale = pre[SCALE];
        float low = pre[LOW];
        float high = pre[HIGH];
        float decay = pre[DECAY];
        switch (rule) {
            case SGD -> {
                float lr = c[0];
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2, scale, low, high);
                    w[i] = decayed(w[i], decay) - lr * gi;
                }
            }
            case MOMENTUM, NESTEROV -> {
                float lr = c[0];
                float mu = c[1];
                float[] m = s[0];
                boolean nesterov = rule == UpdateRule.NESTEROV;
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2, scale, low, high);
                    float wi = decayed(w[i], decay);
                    float mi = mu * m[i] - lr * gi;
                    m[i] = mi;
                    w[i] = wi + (nesterov ? mu * mi - lr * gi : mi);
                }
            }
            case RMSPROP -> rmsprop(c, l1, l2, scale, low, high, decay, w, g, s[0], s[1], s[2], from, to);
            case ADAGRAD -> {
                float lr = c[0];
                float eps = c[1];
                float[] acc = s[0];
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2, scale, low, high);
                    float wi = decayed(w[i], decay);
                    float a = acc[i] + gi * gi;
                    acc[i] = a;
                    w[i] = wi - lr * gi / (float) Math.sqrt(a + eps);
                }
            }
            case ADADELTA -> {
                float lr = c[0];
                float rho = c[1];
                float eps = c[2];
                float[] ag = s[0];
                float[] ad = s[1];
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2, scale, low, high);
                    float wi = decayed(w[i], decay);
                    float agi = rho * ag[i] + (1f - rho) * gi * gi;
                    ag[i] = agi;
                    float dv = -(float) Math.sqrt(ad[i] + eps) * gi / (float) Math.sqrt(agi + eps);
                    ad[i] = rho * ad[i] + (1f - rho) * dv * dv;
                    w[i] = wi + lr * dv;
                }
            }
            case ADAM, AMSGRAD -> {
                float alpha = c[0];
                float b1 = c[1];
                float b2 = c[2];
                float eps = c[3];
                float[] m = s[0];
                float[] v = s[1];
                float[] vHat = rule == UpdateRule.AMSGRAD ? s[2] : null;
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2, scale, low, high);
                    float wi = decayed(w[i], decay);
                    float mi = m[i] + (1f - b1) * (gi - m[i]);
                    float vi = v[i] + (1f - b2) * (gi * gi - v[i]);
                    m[i] = mi;
                    v[i] = vi;
                    if (vHat != null) {
                        vi = Math.max(vHat[i], vi); // AMSGrad's running maximum; NaN wins
                        vHat[i] = vi;
                    }
                    w[i] = wi - alpha * mi / ((float) Math.sqrt(vi) + eps);
                }
            }
            case ADAMAX -> {
                float c0 = c[0];
                float b1 = c[1];
                float b2 = c[2];
                float eps = c[3];
                float[] m = s[0];
                float[] u = s[1];
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2, scale, low, high);
                    float wi = decayed(w[i], decay);
                    float mi = m[i] + (1f - b1) * (gi - m[i]);
                    float ui = Math.max(b2 * u[i], Math.abs(gi));
                    m[i] = mi;
                    u[i] = ui;
                    w[i] = wi - c0 * mi / (ui + eps);
                }
            }
            case NADAM -> {
                float lr = c[0];
                float b1 = c[1];
                float b2 = c[2];
                float eps = c[3];
                float ca = c[4];
                float cb = c[5];
                float cc = c[6];
                float[] m = s[0];
                float[] v = s[1];
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2, scale, low, high);
                    float wi = decayed(w[i], decay);
                    float mi = m[i] + (1f - b1) * (gi - m[i]);
                    float vi = v[i] + (1f - b2) * (gi * gi - v[i]);
                    m[i] = mi;
                    v[i] = vi;
                    w[i] = wi - lr * (ca * mi + cb * gi) / ((float) Math.sqrt(cc * vi) + eps);
                }
            }
            default -> throw new IllegalArgumentException("optimizerUpdate: unknown rule " + rule);
        }
    }

    private static void rmsprop(float[] c, float l1, float l2, float scale, float low, float high, float decay,
            float[] w, float[] g, float[] v, float[] m, float[] a, int from, int to) {
        float lr = c[0];
        float rho = c[1];
        float eps = c[2];
        float mu = c[3];
        boolean centered = c[4] != 0f;
        for (int i = from; i < to; i++) {
            float gi = grad(g[i], w[i], l1, l2, scale, low, high);
            float wi = decayed(w[i], decay);
            float vi = rho * v[i] + (1f - rho) * gi * gi;
            v[i] = vi;
            float d;
            if (centered) {
                float ai = rho * a[i] + (1f - rho) * gi;
                a[i] = ai;
                d = vi - ai * ai + eps;
            } else {
                d = vi + eps;
            }
            float inc = lr * gi / (float) Math.sqrt(d);
            if (mu > 0f) {
                float mi = mu * m[i] + inc;
                m[i] = mi;
                w[i] = wi - mi;
            } else {
                w[i] = wi - inc;
            }
        }
    }
}
