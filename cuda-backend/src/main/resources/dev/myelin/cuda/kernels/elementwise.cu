// Element-wise kernels: axpby, broadcast binary ops, activations, counter-based random
// fills and dropout. The MYELIN_* constants come from the preamble the backend generates from
// the SPI enums, so the codes here and in Java cannot drift apart. (fill is cuMemsetD32Async.)
//
// Every kernel walks its tensor with a grid-stride loop, so one launch shape (256 threads, a
// bounded grid) serves every size. The index is 64-bit: rows * cols may come close to 2^31 and
// the stride added to it would overflow an int.

#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

// y = alpha x + beta y. With beta == 0, y is only written, so NaN or garbage in it never leaks.
// x and y may be the same tensor, hence no __restrict__.
extern "C" __global__ void axpby(float alpha, const float* x, float beta, float* y, int n) {
    GRID_STRIDE(i, n) {
        y[i] = beta == 0.0f ? alpha * x[i] : alpha * x[i] + beta * y[i];
    }
}

__device__ __forceinline__ float binary_op(int op, float a, float b) {
    switch (op) {
    case MYELIN_BIN_ADD: return a + b;
    case MYELIN_BIN_SUB: return a - b;
    case MYELIN_BIN_MUL: return a * b;
    case MYELIN_BIN_DIV: return a / b;
    // fmaxf/fminf drop a NaN operand; Java's Math.max/min propagate it, and so does this.
    case MYELIN_BIN_MAX: return (a != a || b != b) ? a + b : fmaxf(a, b);
    case MYELIN_BIN_MIN: return (a != a || b != b) ? a + b : fminf(a, b);
    case MYELIN_BIN_EQUAL: return a == b ? 1.0f : 0.0f;
    case MYELIN_BIN_GREATER: return a > b ? 1.0f : 0.0f;
    default: return __int_as_float(0x7fffffff);
    }
}

// out = a op b; b is full, a row [1 x cols], a column [rows x 1] or a scalar (MYELIN_BCAST_*).
extern "C" __global__ void binary(int op, int bcast, const float* a, const float* b, float* out, int n,
                                  int cols) {
    GRID_STRIDE(i, n) {
        long long j = bcast == MYELIN_BCAST_FULL ? i
                    : bcast == MYELIN_BCAST_ROW  ? i % cols
                    : bcast == MYELIN_BCAST_COLUMN ? i / cols
                    : 0;
        out[i] = binary_op(op, a[i], b[j]);
    }
}

// 1 / (1 + e^-x) from e^-|x|, which never overflows.
__device__ __forceinline__ float sigmoid_stable(float x) {
    float e = expf(-fabsf(x));
    return x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

// log(1 + e^x) without overflow; NaN stays NaN (no fmaxf).
__device__ __forceinline__ float softplus_stable(float x) {
    return (x > 0.0f ? x : 0.0f) + log1pf(expf(-fabsf(x)));
}

// Keras 3's hard_sigmoid: clip(x / 6 + 0.5, 0, 1) by comparisons, so NaN stays NaN.
__device__ __forceinline__ float hard_sigmoid(float x) {
    float h = x / 6.0f + 0.5f;
    return h <= 0.0f ? 0.0f : h >= 1.0f ? 1.0f : h;
}

#define GELU_C 0.044715f
#define SQRT_2_OVER_PI 0.7978845608028654f
#define SQRT_HALF 0.7071067811865476f
#define INV_SQRT_2PI 0.3989422804014327f

__device__ __forceinline__ float activate(int f, float x, float alpha) {
    switch (f) {
    case MYELIN_ACT_LINEAR: return x;
    // NaN fails every comparison: the piecewise cases test for it (x != x) so that it is not sent down
    // a constant branch (NaN in, NaN out; fmaxf(x, 0) would drop it too).
    case MYELIN_ACT_STEP: return x > 0.0f ? 1.0f : x <= 0.0f ? 0.0f : x;
    // expf(-x) overflows to +inf for x < -88.7 and 1 / inf is the exact limit 0.
    case MYELIN_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
    case MYELIN_ACT_TANH: return tanhf(x);
    case MYELIN_ACT_RELU: return x > 0.0f || x != x ? x : 0.0f;
    case MYELIN_ACT_LEAKY_RELU: return x > 0.0f ? x : alpha * x;
    case MYELIN_ACT_ELU: return x > 0.0f ? x : alpha * expm1f(x);
    case MYELIN_ACT_SELU:
        return (float)MYELIN_SELU_SCALE * (x > 0.0f ? x : (float)MYELIN_SELU_ALPHA * expm1f(x));
    // log(1 + e^x) without overflow: for x > 0 it is x + log(1 + e^-x).
    case MYELIN_ACT_SOFTPLUS: return x > 0.0f ? x + log1pf(expf(-x)) : log1pf(expf(x));
    case MYELIN_ACT_SOFTSIGN: return x / (1.0f + fabsf(x));
    case MYELIN_ACT_EXPONENTIAL: return expf(x);
    case MYELIN_ACT_HARD_SIGMOID: return hard_sigmoid(x);
    case MYELIN_ACT_RELU6: return x < 0.0f ? 0.0f : x > 6.0f ? 6.0f : x;
    case MYELIN_ACT_SILU: return x * sigmoid_stable(x);
    case MYELIN_ACT_GELU: return 0.5f * x * erfcf(-x * SQRT_HALF);
    // 0.5 (1 + tanh u) is sigmoid(2u): no cancellation where tanh u is near -1.
    case MYELIN_ACT_GELU_APPROXIMATE: return x * sigmoid_stable(2.0f * SQRT_2_OVER_PI * (x + GELU_C * x * x * x));
    case MYELIN_ACT_MISH: return x * tanhf(softplus_stable(x));
    case MYELIN_ACT_HARD_SILU: return x * hard_sigmoid(x);
    default: return __int_as_float(0x7fffffff);
    }
}

// f'(x) written with the forward output y, as the Activation enum documents.
__device__ __forceinline__ float activate_derivative(int f, float y, float alpha) {
    switch (f) {
    case MYELIN_ACT_LINEAR: return 1.0f;
    case MYELIN_ACT_STEP: return 0.0f;
    case MYELIN_ACT_SIGMOID: return y * (1.0f - y);
    case MYELIN_ACT_TANH: return 1.0f - y * y;
    case MYELIN_ACT_RELU: return y > 0.0f ? 1.0f : 0.0f;
    case MYELIN_ACT_LEAKY_RELU: return y > 0.0f ? 1.0f : alpha;
    case MYELIN_ACT_ELU: return y > 0.0f ? 1.0f : y + alpha;
    case MYELIN_ACT_SELU:
        return y > 0.0f ? (float)MYELIN_SELU_SCALE : y + (float)(MYELIN_SELU_SCALE * MYELIN_SELU_ALPHA);
    case MYELIN_ACT_SOFTPLUS: return -expm1f(-y);  // 1 - e^-y
    case MYELIN_ACT_SOFTSIGN: { float s = 1.0f - fabsf(y); return s * s; }
    case MYELIN_ACT_EXPONENTIAL: return y;
    case MYELIN_ACT_HARD_SIGMOID: return y != y ? y : y > 0.0f && y < 1.0f ? 1.0f / 6.0f : 0.0f;
    case MYELIN_ACT_RELU6: return y != y ? y : y > 0.0f && y < 6.0f ? 1.0f : 0.0f;
    default: return __int_as_float(0x7fffffff);  // silu, gelu, mish, hard_silu need x
    }
}

// f'(x) from the input, for every activation (the Activation enum's table). The infinities take the
// derivative's limits where the formula would give inf * 0; the caller makes a NaN x give NaN.
__device__ __forceinline__ float derivative_from_input(int f, float x, float alpha) {
    float limit = x > 0.0f ? 1.0f : 0.0f;
    bool inf = isinf(x);
    switch (f) {
    case MYELIN_ACT_LINEAR: return 1.0f;
    case MYELIN_ACT_STEP: return 0.0f;
    case MYELIN_ACT_SIGMOID: return sigmoid_stable(x) * sigmoid_stable(-x);
    case MYELIN_ACT_TANH: { float c = coshf(x); return 1.0f / (c * c); }
    case MYELIN_ACT_RELU: return x > 0.0f ? 1.0f : 0.0f;
    case MYELIN_ACT_LEAKY_RELU: return x > 0.0f ? 1.0f : alpha;
    case MYELIN_ACT_ELU: return x > 0.0f ? 1.0f : alpha * expf(x);
    case MYELIN_ACT_SELU:
        return x > 0.0f ? (float)MYELIN_SELU_SCALE : (float)(MYELIN_SELU_SCALE * MYELIN_SELU_ALPHA) * expf(x);
    case MYELIN_ACT_SOFTPLUS: return sigmoid_stable(x);
    case MYELIN_ACT_SOFTSIGN: { float a = 1.0f + fabsf(x); return 1.0f / (a * a); }
    case MYELIN_ACT_EXPONENTIAL: return expf(x);
    case MYELIN_ACT_HARD_SIGMOID: return x > -3.0f && x < 3.0f ? 1.0f / 6.0f : 0.0f;
    case MYELIN_ACT_RELU6: return x > 0.0f && x < 6.0f ? 1.0f : 0.0f;
    case MYELIN_ACT_SILU: return inf ? limit : sigmoid_stable(x) * (1.0f + x * sigmoid_stable(-x));
    case MYELIN_ACT_GELU:
        return inf ? limit : 0.5f * erfcf(-x * SQRT_HALF) + x * INV_SQRT_2PI * expf(-0.5f * x * x);
    case MYELIN_ACT_GELU_APPROXIMATE: {
        if (fabsf(x) > 10.0f) return limit;  // sech^2 u < 1e-37 there
        float u2 = 2.0f * SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
        float s = sigmoid_stable(u2);
        // 0.5 (1 + tanh u) = s and 0.5 (1 - tanh^2 u) = 2 s (1 - s).
        return s + x * 2.0f * s * sigmoid_stable(-u2) * SQRT_2_OVER_PI * (1.0f + 3.0f * GELU_C * x * x);
    }
    case MYELIN_ACT_MISH: {
        if (inf) return limit;
        float sp = softplus_stable(x);
        float c = coshf(sp);
        return tanhf(sp) + x * sigmoid_stable(x) / (c * c);
    }
    case MYELIN_ACT_HARD_SILU: return x <= -3.0f ? 0.0f : x >= 3.0f ? 1.0f : (2.0f * x + 3.0f) / 6.0f;
    default: return __int_as_float(0x7fffffff);
    }
}

extern "C" __global__ void activation_forward(int f, float alpha, const float* x, float* y, int n) {
    GRID_STRIDE(i, n) { y[i] = activate(f, x[i], alpha); }
}

extern "C" __global__ void activation_backward(int f, float alpha, const float* y, const float* dy, float* dx,
                                               int n) {
    // f'(NaN) is NaN for every activation, also where the table's derivative ignores y or a comparison
    // would pick a constant (relu, leaky_relu, step, linear).
    GRID_STRIDE(i, n) {
        float yi = y[i];
        dx[i] = yi != yi ? yi : dy[i] * activate_derivative(f, yi, alpha);
    }
}

extern "C" __global__ void activation_backward_from_input(int f, float alpha, const float* x, const float* dy,
                                                          float* dx, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        dx[i] = v != v ? v : dy[i] * derivative_from_input(f, v, alpha);
    }
}

// CounterRandom, bit for bit: 64-bit unsigned wrap-around arithmetic is what Java's long does.
__device__ __forceinline__ unsigned long long mix64(unsigned long long z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// (bits >> 40) has 24 significant bits, so the conversion and the scaling by 2^-24 are exact.
__device__ __forceinline__ float counter_uniform(unsigned long long seed, unsigned long long index) {
    unsigned long long bits = mix64(seed + (index + 1ULL) * 0x9E3779B97F4A7C15ULL);
    return (float)(bits >> 40) * 5.9604644775390625e-8f;
}

// Box-Muller in double precision as CounterRandom.normal computes it, then rounded to float.
__device__ __forceinline__ float counter_normal(unsigned long long seed, unsigned long long index) {
    double u1 = (double)counter_uniform(seed, 2ULL * index);
    double u2 = (double)counter_uniform(seed, 2ULL * index + 1ULL);
    return (float)(sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * 3.141592653589793 * u2));
}

// The scalings use explicit round-to-nearest intrinsics: a fused multiply-add would round once
// instead of twice and give values that differ from the other backends in the last bit.
extern "C" __global__ void random_uniform(float* y, int n, float a, float b, unsigned long long seed) {
    float width = __fsub_rn(b, a);
    GRID_STRIDE(i, n) {
        y[i] = __fadd_rn(a, __fmul_rn(width, counter_uniform(seed, (unsigned long long)i)));
    }
}

extern "C" __global__ void random_normal(float* y, int n, float mean, float stddev, unsigned long long seed) {
    GRID_STRIDE(i, n) {
        y[i] = __fadd_rn(mean, __fmul_rn(stddev, counter_normal(seed, (unsigned long long)i)));
    }
}

// Inverted dropout: keep where uniform >= rate and scale by 1 / (1 - rate) (a true division, as
// the SPI writes it, not a multiplication by a rounded reciprocal). A dropped element is x - x: +0 for
// a number, NaN for a NaN or an infinity (NaN in, NaN out).
extern "C" __global__ void dropout(float rate, unsigned long long seed, const float* x, float* y, int n) {
    float keep = __fsub_rn(1.0f, rate);
    GRID_STRIDE(i, n) {
        y[i] = counter_uniform(seed, (unsigned long long)i) >= rate ? __fdiv_rn(x[i], keep) : __fsub_rn(x[i], x[i]);
    }
}
