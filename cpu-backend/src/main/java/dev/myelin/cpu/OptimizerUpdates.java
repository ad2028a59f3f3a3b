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

    /**
     * The regularized gradient {@code g + l1 sign(w) + 2 l2 w} (sign(0) = 0, sign(NaN) = NaN), each term only
     * where its factor is non-zero: {@code 0 * w} would turn an infinite weight into NaN.
     */
    private static float grad(float g, float w, float l1, float l2) {
        if (l1 == 0f && l2 == 0f) {
            return g;
        }
        return g + (l1 == 0f ? 0f : l1 * Math.signum(w)) + (l2 == 0f ? 0f : 2f * l2 * w);
    }

    static void update(UpdateRule rule, float[] c, float l1, float l2, float[] w, float[] g, float[][] s, int from,
            int to) {
        switch (rule) {
            case SGD -> {
                float lr = c[0];
                for (int i = from; i < to; i++) {
                    w[i] -= lr * grad(g[i], w[i], l1, l2);
                }
            }
            case MOMENTUM, NESTEROV -> {
                float lr = c[0];
                float mu = c[1];
                float[] m = s[0];
                boolean nesterov = rule == UpdateRule.NESTEROV;
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2);
                    float mi = mu * m[i] - lr * gi;
                    m[i] = mi;
                    w[i] += nesterov ? mu * mi - lr * gi : mi;
                }
            }
            case RMSPROP -> rmsprop(c, l1, l2, w, g, s[0], s[1], s[2], from, to);
            case ADAGRAD -> {
                float lr = c[0];
                float eps = c[1];
                float[] acc = s[0];
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2);
                    float a = acc[i] + gi * gi;
                    acc[i] = a;
                    w[i] -= lr * gi / (float) Math.sqrt(a + eps);
                }
            }
            case ADADELTA -> {
                float lr = c[0];
                float rho = c[1];
                float eps = c[2];
                float[] ag = s[0];
                float[] ad = s[1];
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2);
                    float agi = rho * ag[i] + (1f - rho) * gi * gi;
                    ag[i] = agi;
                    float dv = -(float) Math.sqrt(ad[i] + eps) * gi / (float) Math.sqrt(agi + eps);
                    ad[i] = rho * ad[i] + (1f - rho) * dv * dv;
                    w[i] += lr * dv;
                }
            }
            case ADAM -> {
                float alpha = c[0];
                float b1 = c[1];
                float b2 = c[2];
                float eps = c[3];
                float[] m = s[0];
                float[] v = s[1];
                for (int i = from; i < to; i++) {
                    float gi = grad(g[i], w[i], l1, l2);
                    float mi = m[i] + (1f - b1) * (gi - m[i]);
                    float vi = v[i] + (1f - b2) * (gi * gi - v[i]);
                    m[i] = mi;
                    v[i] = vi;
                    w[i] -= alpha * mi / ((float) Math.sqrt(vi) + eps);
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
                    float gi = grad(g[i], w[i], l1, l2);
                    float mi = m[i] + (1f - b1) * (gi - m[i]);
                    float ui = Math.max(b2 * u[i], Math.abs(gi));
                    m[i] = mi;
                    u[i] = ui;
                    w[i] -= c0 * mi / (ui + eps);
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
                    float gi = grad(g[i], w[i], l1, l2);
                    float mi = m[i] + (1f - b1) * (gi - m[i]);
                    float vi = v[i] + (1f - b2) * (gi * gi - v[i]);
                    m[i] = mi;
                    v[i] = vi;
                    w[i] -= lr * (ca * mi + cb * gi) / ((float) Math.sqrt(cc * vi) + eps);
                }
            }
            default -> throw new IllegalArgumentException("optimizerUpdate: unknown rule " + rule);
        }
    }

    private static void rmsprop(float[] c, float l1, float l2, float[] w, float[] g, float[] v, float[] m, float[] a,
            int from, int to) {
        float lr = c[0];
        float rho = c[1];
        float eps = c[2];
        float mu = c[3];
        boolean centered = c[4] != 0f;
        for (int i = from; i < to; i++) {
            float gi = grad(g[i], w[i], l1, l2);
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
                w[i] -= mi;
            } else {
                w[i] -= inc;
            }
        }
    }
}
