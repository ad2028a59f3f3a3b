// Element-wise kernels: one work-item per element over a 1-D range rounded up to the work-group
// size, so every kernel guards with `i < n`. One kernel per activation, binary op and loss (made by
// the macros below) instead of a switch on an argument: each body stays branch-free, which lets
// PoCL vectorise across work-items and keeps GPU warps uniform.

#define EPS 1e-7f

// NaN flows through every data path (the rule in Backend's Javadoc). OpenCL C's fmax, fmin and clamp
// return the other operand when one is NaN, and every comparison with NaN is false, so fmax(x, 0) or
// `x > 0 ? x : 0` turn a NaN into 0. These forms test for NaN first and return it (a + b is NaN when
// either is); on numbers they are fmax, fmin and clamp as before.
#define NAN_MAX(a, b) ((isnan(a) || isnan(b)) ? (a) + (b) : fmax((a), (b)))
#define NAN_MIN(a, b) ((isnan(a) || isnan(b)) ? (a) + (b) : fmin((a), (b)))
#define NAN_CLAMP(v, lo, hi) (isnan(v) ? (v) : clamp((v), (lo), (hi)))
// OpenCL C's sign gives 0 for NaN (p - t is NaN for equal infinities).
#define NAN_SIGN(v) (isnan(v) ? (v) : sign(v))

__kernel void fill(__global float *t, const int n, const float v) {
    const int i = get_global_id(0);
    if (i < n) t[i] = v;
}

// y = alpha x + beta y; beta == 0 must not read y (it may hold NaN).
__kernel void axpby(__global const float *x, __global float *y, const int n, const float alpha, const float beta) {
    const int i = get_global_id(0);
    if (i < n) y[i] = beta == 0.0f ? alpha * x[i] : alpha * x[i] + beta * y[i];
}

// ---------------------------------------------------------------- activations
// FORWARD(x) computes y from x (alpha is the activation's parameter); BACKWARD(y, dy) the gradient
// dy * f'(x) written with the forward output y, as Activation documents.

#define SELU_S 1.0507009873554805f
#define SELU_A 1.6732632423543772f

#define ACTIVATION(NAME, FORWARD, BACKWARD)                                                          \
__kernel void act_##NAME(__global const float *xs, __global float *ys, const int n, const float alpha) { \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float x = xs[i]; ys[i] = (FORWARD); }                                         \
}                                                                                                    \
__kernel void act_##NAME##_grad(__global const float *ys, __global const float *dys, __global float *dxs, \
        const int n, const float alpha) {                                                            \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float y = ys[i]; const float dy = dys[i]; dxs[i] = (BACKWARD); }              \
}

// The backward passes give NaN for a NaN y even where f' does not depend on y (linear, step) or where a
// comparison would pick a constant branch (relu, leaky_relu); the other formulas carry it by arithmetic.
ACTIVATION(linear, x, isnan(y) ? y : dy)
// NaN fails both comparisons and stays NaN.
ACTIVATION(step, x > 0.0f ? 1.0f : (x <= 0.0f ? 0.0f : x), isnan(y) ? y : 0.0f * dy)
// Both branches stay finite for |x| up to the float range: e^-x overflows to inf only where 1/(1+inf) = 0.
ACTIVATION(sigmoid, x >= 0.0f ? 1.0f / (1.0f + exp(-x)) : exp(x) / (1.0f + exp(x)), dy * y * (1.0f - y))
ACTIVATION(tanh, tanh(x), dy * (1.0f - y * y))
ACTIVATION(relu, NAN_MAX(x, 0.0f), isnan(y) ? y : (y > 0.0f ? dy : 0.0f * dy))
ACTIVATION(leaky_relu, x > 0.0f ? x : alpha * x, isnan(y) ? y : (y > 0.0f ? dy : alpha * dy))
ACTIVATION(elu, x > 0.0f ? x : alpha * expm1(x), y > 0.0f ? dy : dy * (y + alpha))
ACTIVATION(selu, x > 0.0f ? SELU_S * x : SELU_S * SELU_A * expm1(x), y > 0.0f ? SELU_S * dy : dy * (y + SELU_S * SELU_A))
// log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x.
ACTIVATION(softplus, NAN_MAX(x, 0.0f) + log1p(exp(-fabs(x))), dy * -expm1(-y))
ACTIVATION(softsign, x / (1.0f + fabs(x)), dy * (1.0f - fabs(y)) * (1.0f - fabs(y)))
ACTIVATION(exponential, exp(x), dy * y)

// ---------------------------------------------------------------- binary ops with broadcasting
// b is full (same shape), a row [1 x cols], a column [rows x 1] or a scalar [1 x 1].

#define BINARY(NAME, EXPR)                                                                           \
__kernel void bin_##NAME##_full(__global const float *as, __global const float *bs, __global float *out, \
        const int n, const int cols) {                                                               \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float a = as[i]; const float b = bs[i]; out[i] = (EXPR); }                    \
}                                                                                                    \
__kernel void bin_##NAME##_row(__global const float *as, __global const float *bs, __global float *out, \
        const int n, const int cols) {                                                               \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float a = as[i]; const float b = bs[i % cols]; out[i] = (EXPR); }             \
}                                                                                                    \
__kernel void bin_##NAME##_col(__global const float *as, __global const float *bs, __global float *out, \
        const int n, const int cols) {                                                               \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float a = as[i]; const float b = bs[i / cols]; out[i] = (EXPR); }             \
}                                                                                                    \
__kernel void bin_##NAME##_scalar(__global const float *as, __global const float *bs, __global float *out, \
        const int n, const int cols) {                                                               \
    const int i = get_global_id(0);                                                                  \
    if (i < n) { const float a = as[i]; const float b = bs[0]; out[i] = (EXPR); }                    \
}

BINARY(add, a + b)
BINARY(sub, a - b)
BINARY(mul, a * b)
BINARY(div, a / b)
BINARY(max, NAN_MAX(a, b))
BINARY(min, NAN_MIN(a, b))
BINARY(equal, a == b ? 1.0f : 0.0f)
BINARY(greater, a > b ? 1.0f : 0.0f)

// ---------------------------------------------------------------- counter-based random numbers
// CounterRandom: element i depends only on (seed, i), bit-identical uniforms on every backend.

inline ulong mix64(ulong z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

inline float uniform01(const ulong seed, const ulong i) {
    return (float) (mix64(seed + (i + 1UL) * 0x9E3779B97F4A7C15UL) >> 40) * 0x1.0p-24f;
}

__kernel void random_uniform(__global float *t, const int n, const float a, const float b, const ulong seed) {
    const int i = get_global_id(0);
    if (i < n) t[i] = a + (b - a) * uniform01(seed, (ulong) i);
}

__kernel void random_normal(__global float *t, const int n, const float mean, const float sd, const ulong seed) {
    const int i = get_global_id(0);
    if (i < n) {
        const float u1 = uniform01(seed, 2UL * (ulong) i);
        const float u2 = uniform01(seed, 2UL * (ulong) i + 1UL);
        const float z = sqrt(-2.0f * log(1.0f - u1)) * cos(2.0f * M_PI_F * u2);
        t[i] = mean + sd * z;
    }
}

__kernel void dropout(__global const float *x, __global float *y, const int n, const float rate, const ulong seed) {
    const int i = get_global_id(0);
    // A dropped element is x - x: +0 for a number, NaN for a NaN or an infinity (NaN in, NaN out).
    if (i < n) y[i] = uniform01(seed, (ulong) i) >= rate ? x[i] / (1.0f - rate) : x[i] - x[i];
}

// ---------------------------------------------------------------- per-element losses
// LOSS and GRAD see p (prediction), t (target) and d (Huber's delta); both are multiplied by scale.
// A NaN p or t gives NaN for both, before the clips and branches could turn it into a number.

#define ELEMENT_LOSS(NAME, PRE, LOSS, GRAD)                                                          \
__kernel void loss_##NAME(__global const float *ps, __global const float *ts, __global float *loss,  \
        __global float *grad, const int n, const float d, const float scale) {                       \
    const int i = get_global_id(0);                                                                  \
    if (i < n) {                                                                                     \
        const float p = ps[i]; const float t = ts[i];                                                \
        if (isnan(p) || isnan(t)) {                                                                  \
            loss[i] = p + t;                                                                         \
            grad[i] = p + t;                                                                         \
            return;                                                                                  \
        }                                                                                            \
        PRE                                                                                          \
        loss[i] = scale * (LOSS);                                                                    \
        grad[i] = scale * (GRAD);                                                                    \
    }                                                                                                \
}

ELEMENT_LOSS(mse, const float e = p - t;, e * e, 2.0f * e)
ELEMENT_LOSS(mae, const float e = p - t;, fabs(e), NAN_SIGN(e))
ELEMENT_LOSS(mape, const float den = fmax(fabs(t), EPS);, 100.0f * fabs(t - p) / den, 100.0f * NAN_SIGN(p - t) / den)
ELEMENT_LOSS(msle, const float e = log(fmax(p, EPS) + 1.0f) - log(fmax(t, EPS) + 1.0f);, e * e,
        p < EPS ? 0.0f : 2.0f * e / (p + 1.0f))
ELEMENT_LOSS(hinge, const float m = 1.0f - t * p;, NAN_MAX(m, 0.0f), m > 0.0f ? -t : 0.0f)
ELEMENT_LOSS(squared_hinge, const float m = NAN_MAX(1.0f - t * p, 0.0f);, m * m, -2.0f * t * m)
ELEMENT_LOSS(huber, const float e = p - t; const float ae = fabs(e);,
        ae <= d ? 0.5f * e * e : d * ae - 0.5f * d * d, ae <= d ? e : d * NAN_SIGN(e))
ELEMENT_LOSS(binary_crossentropy,
        const float q = clamp(p, EPS, 1.0f - EPS); const bool clipped = p < EPS || p > 1.0f - EPS;,
        -(t * log(q) + (1.0f - t) * log(1.0f - q)), clipped ? 0.0f : (q - t) / (q * (1.0f - q)))
ELEMENT_LOSS(categorical_crossentropy,
        const float q = clamp(p, EPS, 1.0f - EPS); const bool clipped = p < EPS || p > 1.0f - EPS;,
        -t * log(q), clipped ? 0.0f : -t / q)

// Sigmoid output + binary cross-entropy, fused (LogitsLoss.SIGMOID). Without clip the loss is the
// exact max(z, 0) - z t + log1p(e^-|z|), finite for any finite logit.
__kernel void sigmoid_cross_entropy(__global const float *zs, __global const float *ts, __global float *probs,
        __global float *loss, __global float *grad, const int n, const int clip, const float scale) {
    const int i = get_global_id(0);
    if (i < n) {
        const float z = zs[i];
        const float t = ts[i];
        const float e = exp(-fabs(z));
        const float p = z >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
        float l;
        if (clip) {
            // 1 - q from the complementary sigmoid, not by subtraction: 1 - p in float loses all
            // digits once p is near 1 (z of 10 already costs three).
            const float pc = z >= 0.0f ? e / (1.0f + e) : 1.0f / (1.0f + e);
            const float q = NAN_CLAMP(p, EPS, 1.0f - EPS);
            const float qc = NAN_CLAMP(pc, 1.0f - (1.0f - EPS), 1.0f - EPS);
            l = -(t * log(q) + (1.0f - t) * log(qc));
        } else {
            l = NAN_MAX(z, 0.0f) - z * t + log1p(e);
        }
        probs[i] = p;
        loss[i] = scale * l;
        grad[i] = scale * (p - t);
    }
}

// Transpose of a [rows x cols] matrix into [cols x rows], through 16x16 local tiles so that both
// the reads and the writes are contiguous along a work-group's first dimension.
#define TT 16
__kernel void transpose(__global const float *src, __global float *dst, const int rows, const int cols) {
    __local float tile[TT][TT + 1];
    const int c = get_group_id(0) * TT + get_local_id(0);
    const int r = get_group_id(1) * TT + get_local_id(1);
    if (r < rows && c < cols) tile[get_local_id(1)][get_local_id(0)] = src[r * cols + c];
    barrier(CLK_LOCAL_MEM_FENCE);
    const int tr = get_group_id(0) * TT + get_local_id(1);
    const int tc = get_group_id(1) * TT + get_local_id(0);
    if (tr < cols && tc < rows) dst[tr * rows + tc] = tile[get_local_id(0)][get_local_id(1)];
}
