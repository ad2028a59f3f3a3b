// Fused optimizer steps (UpdateRule): one work-item per parameter reads the gradient, folds in the
// L1/L2 penalty, and updates the parameter and the rule's slots in place. The host computes the
// step-dependent scalars; they arrive as kernel arguments c0..c6, so no kernel is rebuilt per step.
// Before the rule: the gradient is clipped (GradientClip: bounds lo/hi for VALUE, a scale read from the
// sum of squares ss[0] for NORM (mode 1) and GLOBAL_NORM (mode 2)), and the weight decays (w -= w decay).
// Comparisons, not fmin/fmax/clamp, so that NaN stays NaN.

// g + l1 sign(w) + 2 l2 w, each term only where its factor is non-zero (0 * w is NaN for an infinite w),
// and with sign(NaN) = NaN: OpenCL C's sign gives 0 for NaN.
inline float regularized(const float g, const float w, const float l1, const float l2) {
    if (l1 == 0.0f && l2 == 0.0f) return g;
    return g + (l1 == 0.0f ? 0.0f : l1 * (isnan(w) ? w : sign(w))) + (l2 == 0.0f ? 0.0f : 2.0f * l2 * w);
}

#define GRAD(i) regularized(g[i], w[i], l1, l2)
inline float clip_scale(const int mode, const float c, __global const float *ss) {
    if (mode == 0) return 1.0f;
    const float n = sqrt(ss[0]);
    if (mode == 1) return c / (n <= c ? c : n);
    const float inv = 1.0f / n;
    const float inv_c = 1.0f / c;
    return c * (inv < inv_c ? inv : inv_c) + (n - n);
}

inline float clip_value(const float r, const float lo, const float hi) {
    return r < lo ? lo : (r > hi ? hi : r);
}

#define HEAD(NAME, SLOTS)                                                                            \
__kernel void update_##NAME(__global float *w, __global const float *g, SLOTS const int n,           \
        const float l1, const float l2, const float c0, const float c1, const float c2, const float c3, \
        const float c4, const float c5, const float c6, const int mode, const float clip_at,         \
        __global const float *ss, const float lo, const float hi, const float decay) {               \
    const int i = get_global_id(0);                                                                  \
    if (i >= n) return;                                                                              \
    const float gi = clip_value(GRAD(i) * clip_scale(mode, clip_at, ss), lo, hi);                    \
    const float wi = decay == 0.0f ? w[i] : w[i] - w[i] * decay;

#define S1 __global float *s0,
#define S2 __global float *s0, __global float *s1,
#define S3 __global float *s0, __global float *s1, __global float *s2,

HEAD(sgd, )
    w[i] = wi - c0 * gi;
}

HEAD(momentum, S1)
    const float m = c1 * s0[i] - c0 * gi;
    s0[i] = m;
    w[i] = wi + m;
}

HEAD(nesterov, S1)
    const float m = c1 * s0[i] - c0 * gi;
    s0[i] = m;
    w[i] = wi + c1 * m - c0 * gi;
}

// c: lr, rho, eps, mu, centered; slots v, m, a.
HEAD(rmsprop, S3)
    const float v = c1 * s0[i] + (1.0f - c1) * gi * gi;
    s0[i] = v;
    float d = v + c2;
    if (c4 != 0.0f) {
        const float a = c1 * s2[i] + (1.0f - c1) * gi;
        s2[i] = a;
        d = v - a * a + c2;
    }
    const float inc = c0 * gi / sqrt(d);
    if (c3 > 0.0f) {
        const float m = c3 * s1[i] + inc;
        s1[i] = m;
        w[i] = wi - m;
    } else {
        w[i] = wi - inc;
    }
}

// c: lr, eps; slot acc.
HEAD(adagrad, S1)
    const float acc = s0[i] + gi * gi;
    s0[i] = acc;
    w[i] = wi - c0 * gi / sqrt(acc + c1);
}

// c: lr, rho, eps; slots ag, ad.
HEAD(adadelta, S2)
    const float ag = c1 * s0[i] + (1.0f - c1) * gi * gi;
    s0[i] = ag;
    const float dv = -sqrt(s1[i] + c2) * gi / sqrt(ag + c2);
    s1[i] = c1 * s1[i] + (1.0f - c1) * dv * dv;
    w[i] = wi + c0 * dv;
}

// c: alpha, b1, b2, eps; slots m, v.
HEAD(adam, S2)
    const float m = s0[i] + (1.0f - c1) * (gi - s0[i]);
    const float v = s1[i] + (1.0f - c2) * (gi * gi - s1[i]);
    s0[i] = m;
    s1[i] = v;
    w[i] = wi - c0 * m / (sqrt(v) + c3);
}

// c: alpha, b1, b2, eps; slots m, v, v_hat (max with NaN winning).
HEAD(amsgrad, S3)
    const float m = s0[i] + (1.0f - c1) * (gi - s0[i]);
    const float v = s1[i] + (1.0f - c2) * (gi * gi - s1[i]);
    const float h0 = s2[i];
    const float h = (h0 > v || isnan(h0)) ? h0 : v;
    s0[i] = m;
    s1[i] = v;
    s2[i] = h;
    w[i] = wi - c0 * m / (sqrt(h) + c3);
}

// c: lr/(1-b1^t), b1, b2, eps; slots m, u.
HEAD(adamax, S2)
    const float m = s0[i] + (1.0f - c1) * (gi - s0[i]);
    // NaN wins the max (fmax would keep u finite and hide a NaN gradient in the state).
    const float b = c2 * s1[i];
    const float u = isnan(b) || isnan(gi) ? b + gi : fmax(b, fabs(gi));
    s0[i] = m;
    s1[i] = u;
    w[i] = wi - c0 * m / (u + c3);
}

// c: lr, b1, b2, eps, A, B, C; slots m, v.
HEAD(nadam, S2)
    const float m = s0[i] + (1.0f - c1) * (gi - s0[i]);
    const float v = s1[i] + (1.0f - c2) * (gi * gi - s1[i]);
    s0[i] = m;
    s1[i] = v;
    w[i] = wi - c0 * (c4 * m + c5 * gi) / (sqrt(c6 * v) + c3);
}
