// Fused optimizer steps (UpdateRule): one thread per parameter element reads the gradient,
// folds in the L1/L2 penalties, updates the rule's state slots and the parameter in place.
// The host passes the step-dependent scalars in c0..c6 (see UpdateRule for their meaning).
// Before the rule: the gradient is clipped (GradientClip: bounds lo/hi for VALUE, a scale from the sum
// of squares ss[0] for NORM and GLOBAL_NORM), and the weight decays (w -= w decay). Comparisons, not
// fminf/fmaxf, so that NaN stays NaN.

#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

extern "C" __global__ void optimizer_update(int rule, float* __restrict__ w, const float* __restrict__ grad,
                                            float* __restrict__ s0, float* __restrict__ s1,
                                            float* __restrict__ s2, int n, float l1, float l2, float c0,
                                            float c1, float c2, float c3, float c4, float c5, float c6,
                                            int clip, float clip_at, const float* __restrict__ ss, float lo,
                                            float hi, float decay) {
    float scale = 1.0f;
    if (clip == MYELIN_CLIP_NORM || clip == MYELIN_CLIP_GLOBAL_NORM) {
        float norm = sqrtf(ss[0]);
        if (clip == MYELIN_CLIP_NORM) {
            scale = clip_at / (norm <= clip_at ? clip_at : norm);
        } else {
            float inv = 1.0f / norm;
            float inv_c = 1.0f / clip_at;
            scale = clip_at * (inv < inv_c ? inv : inv_c) + (norm - norm);
        }
    }
    GRID_STRIDE(i, n) {
        float wi = w[i];
        // Each penalty term only where its factor is non-zero (0 * w is NaN for an infinite w), and
        // sign(NaN) = NaN: the comparisons alone would give it 0.
        float sw = wi > 0.0f ? 1.0f : wi < 0.0f ? -1.0f : wi;
        float g = grad[i];
        if (l1 != 0.0f) g += l1 * sw;
        if (l2 != 0.0f) g += 2.0f * l2 * wi;
        g *= scale;
        g = g < lo ? lo : (g > hi ? hi : g);
        if (decay != 0.0f) {
            wi -= wi * decay;
        }
        switch (rule) {
        case MYELIN_RULE_SGD:
            wi -= c0 * g;
            break;
        case MYELIN_RULE_MOMENTUM: {
            float m = c1 * s0[i] - c0 * g;
            s0[i] = m;
            wi += m;
            break;
        }
        case MYELIN_RULE_NESTEROV: {
            float m = c1 * s0[i] - c0 * g;
            s0[i] = m;
            wi += c1 * m - c0 * g;
            break;
        }
        case MYELIN_RULE_RMSPROP: {
            // c0 lr, c1 rho, c2 eps, c3 momentum, c4 centered (0 or 1); slots v, m, a
            float v = c1 * s0[i] + (1.0f - c1) * g * g;
            s0[i] = v;
            float d;
            if (c4 != 0.0f) {
                float a = c1 * s2[i] + (1.0f - c1) * g;
                s2[i] = a;
                d = v - a * a + c2;
            } else {
                d = v + c2;
            }
            float inc = c0 * g / sqrtf(d);
            if (c3 > 0.0f) {
                float m = c3 * s1[i] + inc;
                s1[i] = m;
                wi -= m;
            } else {
                wi -= inc;
            }
            break;
        }
        case MYELIN_RULE_ADAGRAD: {
            // c0 lr, c1 eps; slot acc
            float acc = s0[i] + g * g;
            s0[i] = acc;
            wi -= c0 * g / sqrtf(acc + c1);
            break;
        }
        case MYELIN_RULE_ADADELTA: {
            // c0 lr, c1 rho, c2 eps; slots accumulated gradient, accumulated delta
            float ag = c1 * s0[i] + (1.0f - c1) * g * g;
            s0[i] = ag;
            float dv = -sqrtf(s1[i] + c2) * g / sqrtf(ag + c2);
            s1[i] = c1 * s1[i] + (1.0f - c1) * dv * dv;
            wi += c0 * dv;
            break;
        }
        case MYELIN_RULE_ADAM: {
            // c0 alpha (bias-corrected lr), c1 beta1, c2 beta2, c3 eps; slots m, v
            float m = s0[i] + (1.0f - c1) * (g - s0[i]);
            float v = s1[i] + (1.0f - c2) * (g * g - s1[i]);
            s0[i] = m;
            s1[i] = v;
            wi -= c0 * m / (sqrtf(v) + c3);
            break;
        }
        case MYELIN_RULE_AMSGRAD: {
            // c0 alpha, c1 beta1, c2 beta2, c3 eps; slots m, v, v_hat (max with NaN winning)
            float m = s0[i] + (1.0f - c1) * (g - s0[i]);
            float v = s1[i] + (1.0f - c2) * (g * g - s1[i]);
            float h0 = s2[i];
            float h = (h0 > v || h0 != h0) ? h0 : v;
            s0[i] = m;
            s1[i] = v;
            s2[i] = h;
            wi -= c0 * m / (sqrtf(h) + c3);
            break;
        }
        case MYELIN_RULE_ADAMAX: {
            // c0 lr / (1 - beta1^t), c1 beta1, c2 beta2, c3 eps; slots m, u
            float m = s0[i] + (1.0f - c1) * (g - s0[i]);
            // NaN wins the max: fmaxf would keep u finite and hide a NaN gradient in the state.
            float b = c2 * s1[i];
            float u = (b != b || g != g) ? b + g : fmaxf(b, fabsf(g));
            s0[i] = m;
            s1[i] = u;
            wi -= c0 * m / (u + c3);
            break;
        }
        case MYELIN_RULE_NADAM: {
            // c0 lr, c1 beta1, c2 beta2, c3 eps, c4 A, c5 B, c6 C; slots m, v
            float m = s0[i] + (1.0f - c1) * (g - s0[i]);
            float v = s1[i] + (1.0f - c2) * (g * g - s1[i]);
            s0[i] = m;
            s1[i] = v;
            wi -= c0 * (c4 * m + c5 * g) / (sqrtf(c6 * v) + c3);
            break;
        }
        default:
            wi = __int_as_float(0x7fffffff);
        }
        w[i] = wi;
    }
}
