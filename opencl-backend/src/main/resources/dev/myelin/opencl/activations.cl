// The Keras 3 activations (hard_sigmoid, relu6, silu, gelu in both forms, mish, hard_silu), the
// derivative from the output of the two derivable from it, and every activation's derivative from
// its input x (Activation documents the formulas). NaN in gives NaN out: the kernels clip with
// comparisons, never with fmax/fmin/clamp, which would drop a NaN.

#define SELU_S 1.0507009873554805f
#define SELU_A 1.6732632423543772f
#define GELU_C 0.044715f
#define SQRT_2_OVER_PI 0.7978845608028654f
#define INV_SQRT_2PI 0.3989422804014327f

// Both branches stay finite: e^-|x| never overflows.
inline float sig(const float x) {
    const float e = exp(-fabs(x));
    return x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

inline float softplus(const float x) {
    return (x > 0.0f ? x : 0.0f) + log1p(exp(-fabs(x)));
}

// Keras 3's clip(x / 6 + 0.5, 0, 1).
inline float hard_sigmoid(const float x) {
    const float h = x / 6.0f + 0.5f;
    return h <= 0.0f ? 0.0f : (h >= 1.0f ? 1.0f : h);
}

#define FORWARD(NAME, EXPR)                                                                          \
__kernel void act_##NAME(__global const float *xs, __global float *ys, const int n, const float alpha) { \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float x = xs[i]; ys[i] = (EXPR); }                                            \
}

FORWARD(hard_sigmoid, hard_sigmoid(x))
FORWARD(relu6, x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x))
FORWARD(silu, x * sig(x))
FORWARD(gelu, 0.5f * x * erfc(-x * M_SQRT1_2_F))
// 0.5 (1 + tanh u) is sigmoid(2u): no cancellation where tanh u is near -1.
FORWARD(gelu_approximate, x * sig(2.0f * SQRT_2_OVER_PI * (x + GELU_C * x * x * x)))
FORWARD(mish, x * tanh(softplus(x)))
FORWARD(hard_silu, x * hard_sigmoid(x))

// dy f'(x) written with the output y, for the two derivable from it.
#define FROM_OUTPUT(NAME, EXPR)                                                                      \
__kernel void act_##NAME##_grad(__global const float *ys, __global const float *dys, __global float *dxs, \
        const int n, const float alpha) {                                                            \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float y = ys[i]; const float dy = dys[i]; dxs[i] = isnan(y) ? y : (EXPR); }   \
}

FROM_OUTPUT(hard_sigmoid, y > 0.0f && y < 1.0f ? dy * (1.0f / 6.0f) : 0.0f * dy)
FROM_OUTPUT(relu6, y > 0.0f && y < 6.0f ? dy : 0.0f * dy)

// dx = dy f'(x) from the input; DERIV sees x and alpha. A NaN x gives NaN.
#define FROM_INPUT(NAME, DERIV)                                                                      \
__kernel void act_##NAME##_dx(__global const float *xs, __global const float *dys, __global float *dxs, \
        const int n, const float alpha) {                                                            \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float x = xs[i]; const float dy = dys[i]; dxs[i] = isnan(x) ? x : dy * (DERIV); } \
}

// The infinities take the derivative's limits (the formulas alone would give inf * 0).
#define LIMIT_AT_INF(EXPR) (isinf(x) ? (x > 0.0f ? 1.0f : 0.0f) : (EXPR))

inline float gelu_tanh_derivative(const float x) {
    if (fabs(x) > 10.0f) return x > 0.0f ? 1.0f : 0.0f;  // sech^2 u < 1e-37 there
    const float u2 = 2.0f * SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
    const float s = sig(u2);
    // 0.5 (1 + tanh u) = s and 0.5 (1 - tanh^2 u) = 2 s (1 - s).
    return s + x * 2.0f * s * sig(-u2) * SQRT_2_OVER_PI * (1.0f + 3.0f * GELU_C * x * x);
}

inline float mish_derivative(const float x) {
    const float sp = softplus(x);
    const float c = cosh(sp);
    return tanh(sp) + x * sig(x) / (c * c);
}

FROM_INPUT(linear, 1.0f)
FROM_INPUT(step, 0.0f)
FROM_INPUT(sigmoid, sig(x) * sig(-x))
FROM_INPUT(tanh, 1.0f / (cosh(x) * cosh(x)))
FROM_INPUT(relu, x > 0.0f ? 1.0f : 0.0f)
FROM_INPUT(leaky_relu, x > 0.0f ? 1.0f : alpha)
FROM_INPUT(elu, x > 0.0f ? 1.0f : alpha * exp(x))
FROM_INPUT(selu, x > 0.0f ? SELU_S : SELU_S * SELU_A * exp(x))
FROM_INPUT(softplus, sig(x))
FROM_INPUT(softsign, 1.0f / ((1.0f + fabs(x)) * (1.0f + fabs(x))))
FROM_INPUT(exponential, exp(x))
FROM_INPUT(hard_sigmoid, x > -3.0f && x < 3.0f ? 1.0f / 6.0f : 0.0f)
FROM_INPUT(relu6, x > 0.0f && x < 6.0f ? 1.0f : 0.0f)
FROM_INPUT(silu, LIMIT_AT_INF(sig(x) * (1.0f + x * sig(-x))))
FROM_INPUT(gelu, LIMIT_AT_INF(0.5f * erfc(-x * M_SQRT1_2_F) + x * INV_SQRT_2PI * exp(-0.5f * x * x)))
FROM_INPUT(gelu_approximate, gelu_tanh_derivative(x))
FROM_INPUT(mish, LIMIT_AT_INF(mish_derivative(x)))
FROM_INPUT(hard_silu, x <= -3.0f ? 0.0f : (x >= 3.0f ? 1.0f : (2.0f * x + 3.0f) / 6.0f))
