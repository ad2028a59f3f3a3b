// Per-element losses with their gradients (ElementLoss) and the fused sigmoid cross-entropy
// (LogitsLoss.SIGMOID). One thread per element, grid-stride; the formulas follow the enums'
// tables line by line.

#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

// sign(0) = 0 and sign(NaN) = NaN (p - t is NaN for equal infinities).
__device__ __forceinline__ float sign_of(float v) {
    return v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : v;
}

// ln(1 + e^x) without overflow or cancellation; NaN for NaN (fmaxf alone would drop it).
__device__ __forceinline__ float softplus(float x) {
    return x != x ? x : fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}

// A clip by comparisons: NaN stays NaN (fminf/fmaxf would drop it).
__device__ __forceinline__ float clip_between(float v, float lo, float hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

extern "C" __global__ void element_loss(int kind, float param, float param2, float scale, const float* __restrict__ pred,
                                        const float* __restrict__ target, float* __restrict__ loss,
                                        float* __restrict__ grad, int n) {
    const float eps = MYELIN_EPS;
    GRID_STRIDE(i, n) {
        float p = pred[i];
        float t = target[i];
        if (p != p || t != t) {
            // NaN in, NaN out: the clips (fmaxf/fminf drop NaN) and branches below would give a number.
            loss[i] = p + t;
            grad[i] = p + t;
            continue;
        }
        float l;
        float g;
        switch (kind) {
        case MYELIN_LOSS_MSE: {
            float e = p - t;
            l = e * e;
            g = 2.0f * e;
            break;
        }
        case MYELIN_LOSS_MAE: {
            float e = p - t;
            l = fabsf(e);
            g = sign_of(e);
            break;
        }
        case MYELIN_LOSS_MAPE: {
            float d = fmaxf(fabsf(t), eps);
            l = 100.0f * fabsf(t - p) / d;
            g = 100.0f * sign_of(p - t) / d;
            break;
        }
        case MYELIN_LOSS_MSLE: {
            float lp = log1pf(fmaxf(p, eps));
            float lt = log1pf(fmaxf(t, eps));
            float e = lp - lt;
            l = e * e;
            g = p < eps ? 0.0f : 2.0f * e / (p + 1.0f);
            break;
        }
        case MYELIN_LOSS_HINGE: {
            float m = 1.0f - t * p;
            l = m != m ? m : fmaxf(m, 0.0f);  // m is NaN for t = 0 and an infinite p
            g = m > 0.0f ? -t : 0.0f;
            break;
        }
        case MYELIN_LOSS_SQUARED_HINGE: {
            float m = 1.0f - t * p;
            m = m != m ? m : fmaxf(m, 0.0f);
            l = m * m;
            g = -2.0f * t * m;
            break;
        }
        case MYELIN_LOSS_HUBER: {
            float e = p - t;
            float a = fabsf(e);
            if (a <= param) {
                l = 0.5f * e * e;
                g = e;
            } else {
                l = param * a - 0.5f * param * param;
                g = param * sign_of(e);
            }
            break;
        }
        case MYELIN_LOSS_BINARY_CROSSENTROPY: {
            bool clipped = p < eps || p > MYELIN_ONE_MINUS_EPS;
            float q = fminf(fmaxf(p, eps), MYELIN_ONE_MINUS_EPS);
            // log1pf(-q) keeps the digits of ln(1 - q) that 1 - q would round away for small q.
            l = -(t * logf(q) + (1.0f - t) * log1pf(-q));
            g = clipped ? 0.0f : (q - t) / (q * (1.0f - q));
            break;
        }
        case MYELIN_LOSS_CATEGORICAL_CROSSENTROPY: {
            bool clipped = p < eps || p > MYELIN_ONE_MINUS_EPS;
            float q = fminf(fmaxf(p, eps), MYELIN_ONE_MINUS_EPS);
            l = -t * logf(q);
            g = clipped ? 0.0f : -t / q;
            break;
        }
        case MYELIN_LOSS_LOG_COSH: {
            float e = p - t;
            float a = fabsf(e);
            l = a + log1pf(expf(-2.0f * a)) - 0.6931471805599453f;
            g = tanhf(e);
            break;
        }
        case MYELIN_LOSS_POISSON:
            l = p - t * logf(p + eps);
            g = 1.0f - t / (p + eps);
            break;
        case MYELIN_LOSS_KL_DIVERGENCE: {
            float u = clip_between(t, eps, 1.0f);
            float q = clip_between(p, eps, 1.0f);
            l = u * logf(u / q);
            g = p < eps || p > 1.0f ? 0.0f * u : -u / q;
            break;
        }
        case MYELIN_LOSS_BINARY_FOCAL_CROSSENTROPY:
        case MYELIN_LOSS_BINARY_FOCAL_CROSSENTROPY_BALANCED: {
            float q = clip_between(p, eps, MYELIN_ONE_MINUS_EPS);
            bool clipped = p < eps || p > MYELIN_ONE_MINUS_EPS;
            float b = -(t * logf(q) + (1.0f - t) * log1pf(-q));
            float db = clipped ? 0.0f * p : (q - t) / (q * (1.0f - q));
            float m = t * (1.0f - p) + (1.0f - t) * p;  // 1 - p_t, without cancellation in [0, 1]
            float f = powf(m, param);
            float df = param == 0.0f ? 0.0f : param * powf(m, param - 1.0f) * (1.0f - 2.0f * t);
            float w = kind == MYELIN_LOSS_BINARY_FOCAL_CROSSENTROPY ? 1.0f : t * param2 + (1.0f - t) * (1.0f - param2);
            l = w * f * b;
            g = w * (df * b + f * db);
            break;
        }
        default:
            l = g = __int_as_float(0x7fffffff);
        }
        loss[i] = scale * l;
        grad[i] = scale * g;
    }
}

// Sigmoid + binary cross-entropy (LogitsLoss.SIGMOID). -(t ln p + (1-t) ln(1-p)) is written as
// t softplus(-z) + (1-t) softplus(z): two non-negative terms, so nothing cancels, and neither p nor
// 1 - p is rounded to float before its logarithm is taken. With clip, where p falls outside
// [EPS, 1 - EPS] the logarithms are those of the clipping bounds.
extern "C" __global__ void sigmoid_cross_entropy(int clip, float scale, const float* __restrict__ z,
                                                 const float* __restrict__ target, float* __restrict__ probs,
                                                 float* __restrict__ loss, float* __restrict__ grad, int n) {
    GRID_STRIDE(i, n) {
        float x = z[i];
        float t = target[i];
        float p = 1.0f / (1.0f + expf(-x));
        float l;
        if (clip && p < MYELIN_EPS) {
            l = -(t * MYELIN_LN_EPS + (1.0f - t) * MYELIN_LN_1M_EPS);
        } else if (clip && p > MYELIN_ONE_MINUS_EPS) {
            l = -(t * MYELIN_LN_ONE_MINUS_EPS + (1.0f - t) * MYELIN_LN_1M_ONE_MINUS_EPS);
        } else if (isinf(x)) {
            // The SPI's formula max(z, 0) - z t + ln(1 + e^-|z|) as the other backends evaluate it: the
            // sum of softplus terms would give a number where that form has Inf - Inf or 0 * Inf.
            l = fmaxf(x, 0.0f) - x * t;
        } else {
            l = t * softplus(-x) + (1.0f - t) * softplus(x);
        }
        probs[i] = p;
        loss[i] = scale * l;
        grad[i] = scale * (p - t);
    }
}
