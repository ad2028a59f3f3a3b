// Per-element losses with their gradients (ElementLoss) and the fused sigmoid cross-entropy
// (LogitsLoss.SIGMOID). One thread per element, grid-stride; the formulas follow the enums'
// tables line by line.

#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

__device__ __forceinline__ float sign_of(float v) {
    return v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : 0.0f;
}

extern "C" __global__ void element_loss(int kind, float param, float scale, const float* __restrict__ pred,
                                        const float* __restrict__ target, float* __restrict__ loss,
                                        float* __restrict__ grad, int n) {
    const float eps = MYELIN_EPS;
    GRID_STRIDE(i, n) {
        float p = pred[i];
        float t = target[i];
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
            l = fmaxf(m, 0.0f);
            g = m > 0.0f ? -t : 0.0f;
            break;
        }
        case MYELIN_LOSS_SQUARED_HINGE: {
            float m = fmaxf(1.0f - t * p, 0.0f);
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
            bool clipped = p < eps || p > 1.0f - eps;
            float q = fminf(fmaxf(p, eps), 1.0f - eps);
            l = -(t * logf(q) + (1.0f - t) * logf(1.0f - q));
            g = clipped ? 0.0f : (q - t) / (q * (1.0f - q));
            break;
        }
        case MYELIN_LOSS_CATEGORICAL_CROSSENTROPY: {
            bool clipped = p < eps || p > 1.0f - eps;
            float q = fminf(fmaxf(p, eps), 1.0f - eps);
            l = -t * logf(q);
            g = clipped ? 0.0f : -t / q;
            break;
        }
        default:
            l = g = __int_as_float(0x7fffffff);
        }
        loss[i] = scale * l;
        grad[i] = scale * g;
    }
}

// Sigmoid + binary cross-entropy (LogitsLoss.SIGMOID). Without clip the loss is the stable
// max(z, 0) - z t + ln(1 + e^-|z|), finite for every finite logit.
extern "C" __global__ void sigmoid_cross_entropy(int clip, float scale, const float* __restrict__ z,
                                                 const float* __restrict__ target, float* __restrict__ probs,
                                                 float* __restrict__ loss, float* __restrict__ grad, int n) {
    const float eps = MYELIN_EPS;
    GRID_STRIDE(i, n) {
        float x = z[i];
        float t = target[i];
        float p = 1.0f / (1.0f + expf(-x));
        float l;
        if (clip) {
            float q = fminf(fmaxf(p, eps), 1.0f - eps);
            l = -(t * logf(q) + (1.0f - t) * logf(1.0f - q));
        } else {
            l = fmaxf(x, 0.0f) - x * t + log1pf(expf(-fabsf(x)));
        }
        probs[i] = p;
        loss[i] = scale * l;
        grad[i] = scale * (p - t);
    }
}
