// The Keras 3 per-element losses added to ElementLoss (log_cosh, poisson, kl_divergence, binary
// focal cross-entropy with and without class balancing), with their gradients. LOSS and GRAD see
// p, t, d (gamma) and d2 (alpha); both are multiplied by scale. Clips are comparisons, never
// fmax/fmin/clamp, so NaN in p or t stays NaN.

#define EPS 1e-7f
#define ONE_MINUS_EPS (1.0f - 1e-7f)
#define LN2 0.6931471805599453f

#define LOSS2(NAME, PRE, LOSS, GRAD)                                                                 \
__kernel void loss_##NAME(__global const float *ps, __global const float *ts, __global float *loss,  \
        __global float *grad, const int n, const float d, const float d2, const float scale) {       \
    const int i = get_global_id(0);                                                                  \
    if (i < n) {                                                                                     \
        const float p = ps[i]; const float t = ts[i];                                                \
        PRE                                                                                          \
        loss[i] = scale * (LOSS);                                                                    \
        grad[i] = scale * (GRAD);                                                                    \
    }                                                                                                \
}

inline float clip_unit(const float v) {
    return v < EPS ? EPS : (v > 1.0f ? 1.0f : v);
}

inline float clip_probability(const float v) {
    return v < EPS ? EPS : (v > ONE_MINUS_EPS ? ONE_MINUS_EPS : v);
}

// m^gamma b and its derivative, b the clipped binary cross-entropy; m = 1 - p_t written as
// t (1 - p) + (1 - t) p, which has no cancellation for p and t in [0, 1].
#define FOCAL_PRE                                                                                    \
    const float q = clip_probability(p);                                                             \
    const bool clipped = p < EPS || p > ONE_MINUS_EPS;                                               \
    const float b = -(t * log(q) + (1.0f - t) * log1p(-q));                                          \
    const float db = clipped ? 0.0f * p : (q - t) / (q * (1.0f - q));                                \
    const float m = t * (1.0f - p) + (1.0f - t) * p;                                                 \
    const float f = pow(m, d);                                                                       \
    const float df = d == 0.0f ? 0.0f : d * pow(m, d - 1.0f) * (1.0f - 2.0f * t);

LOSS2(log_cosh, const float e = p - t; const float a = fabs(e);, a + log1p(exp(-2.0f * a)) - LN2, tanh(e))
LOSS2(poisson, , p - t * log(p + EPS), 1.0f - t / (p + EPS))
LOSS2(kl_divergence, const float u = clip_unit(t); const float q = clip_unit(p);,
        u * log(u / q), (p < EPS || p > 1.0f) ? 0.0f * u : -u / q)
LOSS2(binary_focal_crossentropy, FOCAL_PRE, f * b, df * b + f * db)
LOSS2(binary_focal_crossentropy_balanced, FOCAL_PRE const float w = t * d2 + (1.0f - t) * (1.0f - d2);,
        w * f * b, w * (df * b + f * db))
