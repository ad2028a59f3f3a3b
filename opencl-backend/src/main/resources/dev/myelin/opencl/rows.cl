// Row-wise kernels (softmax, reductions, argmax, softmax cross-entropy): one work-group of WG
// work-items per row (WG is a power of two given at build time, from the device's work-group limit).
// Each work-item strides over the row, then a tree in local memory combines the WG partial results.
// Everything stays on the device: a reduction to one value runs as two kernels (partials, then one
// group over the partials), never through the host.

#define EPS 1e-7f

// NaN wins max and min (the rule in Backend's Javadoc): fmax and fmin return the other operand when one
// is NaN, so a max over a row holding NaN would skip it. a + b is NaN when either is.
#define COMB_SUM(a, b) ((a) + (b))
#define COMB_MAX(a, b) ((isnan(a) || isnan(b)) ? (a) + (b) : fmax((a), (b)))
#define COMB_MIN(a, b) ((isnan(a) || isnan(b)) ? (a) + (b) : fmin((a), (b)))
#define MAP_ID(v) (v)
#define MAP_ABS(v) fabs(v)
#define MAP_SQUARE(v) ((v) * (v))

// Leaves the combination of the WG values in s[] in s[0], visible to every work-item.
#define TREE(s, l, COMB)                                                                             \
    barrier(CLK_LOCAL_MEM_FENCE);                                                                    \
    for (int h = WG / 2; h > 0; h >>= 1) {                                                           \
        if ((l) < h) s[l] = COMB(s[l], s[(l) + h]);                                                  \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                \
    }

// out[r] = COMB over the row of MAP(x), divided by `divisor` (the count for MEAN, else 1).
#define REDUCE_ROWS(NAME, INIT, MAP, COMB)                                                           \
__kernel void reduce_rows_##NAME(__global const float *x, __global float *out, const int cols,       \
        const float divisor) {                                                                       \
    __local float s[WG];                                                                             \
    const int r = get_group_id(0);                                                                   \
    const int l = get_local_id(0);                                                                   \
    __global const float *xr = x + (size_t) r * cols;                                                \
    float acc = INIT;                                                                                \
    for (int j = l; j < cols; j += WG) acc = COMB(acc, MAP(xr[j]));                                  \
    s[l] = acc;                                                                                      \
    TREE(s, l, COMB)                                                                                 \
    if (l == 0) out[r] = s[0] / divisor;                                                             \
}                                                                                                    \
__kernel void reduce_cols_##NAME(__global const float *x, __global float *out, const int rows,       \
        const int cols, const float divisor) {                                                       \
    const int c = get_global_id(0);                                                                  \
    if (c < cols) {                                                                                  \
        float acc = INIT;                                                                            \
        for (int r = 0; r < rows; r++) acc = COMB(acc, MAP(x[(size_t) r * cols + c]));               \
        out[c] = acc / divisor;                                                                      \
    }                                                                                                \
}                                                                                                    \
__kernel void reduce_all_##NAME(__global const float *x, __global float *partial, const int n) {     \
    __local float s[WG];                                                                             \
    const int l = get_local_id(0);                                                                   \
    const int stride = get_global_size(0);                                                           \
    float acc = INIT;                                                                                \
    for (int i = get_global_id(0); i < n; i += stride) acc = COMB(acc, MAP(x[i]));                   \
    s[l] = acc;                                                                                      \
    TREE(s, l, COMB)                                                                                 \
    if (l == 0) partial[get_group_id(0)] = s[0];                                                     \
}

REDUCE_ROWS(sum, 0.0f, MAP_ID, COMB_SUM)
REDUCE_ROWS(max, -INFINITY, MAP_ID, COMB_MAX)
REDUCE_ROWS(min, INFINITY, MAP_ID, COMB_MIN)
REDUCE_ROWS(sum_abs, 0.0f, MAP_ABS, COMB_SUM)
REDUCE_ROWS(sum_squares, 0.0f, MAP_SQUARE, COMB_SUM)

// Second stage of reduce_all_*: one work-group combines the `count` partials (already mapped).
#define REDUCE_FINAL(NAME, INIT, COMB)                                                               \
__kernel void reduce_final_##NAME(__global const float *partial, __global float *out, const int count, \
        const float divisor) {                                                                       \
    __local float s[WG];                                                                             \
    const int l = get_local_id(0);                                                                   \
    float acc = INIT;                                                                                \
    for (int i = l; i < count; i += WG) acc = COMB(acc, partial[i]);                                 \
    s[l] = acc;                                                                                      \
    TREE(s, l, COMB)                                                                                 \
    if (l == 0) out[0] = s[0] / divisor;                                                             \
}

REDUCE_FINAL(sum, 0.0f, COMB_SUM)
REDUCE_FINAL(max, -INFINITY, COMB_MAX)
REDUCE_FINAL(min, INFINITY, COMB_MIN)

// Index of the row's largest element, the first one on ties; in a row holding NaN, its first NaN (NaN
// wins, as numpy's argmax). A work-item keeps the first NaN it meets; the tree prefers NaN to a number,
// then the larger value, then the smaller index.
__kernel void argmax_rows(__global const float *x, __global float *out, const int cols) {
    __local float sv[WG];
    __local int si[WG];
    const int r = get_group_id(0);
    const int l = get_local_id(0);
    __global const float *xr = x + (size_t) r * cols;
    float best = -INFINITY;
    int at = cols;
    for (int j = l; j < cols; j += WG) {
        const float v = xr[j];
        if (at == cols || (!isnan(best) && (v > best || isnan(v)))) { best = v; at = j; }
    }
    sv[l] = best;
    si[l] = at;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (l < h) {
            const float v = sv[l + h];
            const int j = si[l + h];
            const float b = sv[l];
            const int i = si[l];
            const bool better = isnan(v) ? (!isnan(b) || j < i) : (!isnan(b) && (v > b || (v == b && j < i)));
            if (j < cols && (i == cols || better)) { sv[l] = v; si[l] = j; }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) out[r] = (float) si[0];
}

// Row maximum and sum of e^(x - max), left in *max_out and *sum_out for every work-item.
#define ROW_MAX_SUM(xr, cols, l, s, max_out, sum_out)                                                \
    {                                                                                                \
        float row_max = -INFINITY;                                                                   \
        for (int j = l; j < cols; j += WG) row_max = COMB_MAX(row_max, xr[j]);                       \
        s[l] = row_max;                                                                              \
        TREE(s, l, COMB_MAX)                                                                         \
        max_out = s[0];                                                                              \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                \
        float row_sum = 0.0f;                                                                        \
        for (int j = l; j < cols; j += WG) row_sum += exp(xr[j] - max_out);                         \
        s[l] = row_sum;                                                                              \
        TREE(s, l, COMB_SUM)                                                                         \
        sum_out = s[0];                                                                              \
    }

__kernel void softmax_rows(__global const float *x, __global float *y, const int cols) {
    __local float s[WG];
    const int r = get_group_id(0);
    const int l = get_local_id(0);
    __global const float *xr = x + (size_t) r * cols;
    __global float *yr = y + (size_t) r * cols;
    float m, sum;
    ROW_MAX_SUM(xr, cols, l, s, m, sum)
    const float inv = 1.0f / sum;
    for (int j = l; j < cols; j += WG) yr[j] = exp(xr[j] - m) * inv;
}

// Softmax output + categorical cross-entropy, fused (LogitsLoss.SOFTMAX). Without clip,
// ln p = z - max - ln(sum) exactly, so a logit far below the maximum gives a large finite loss.
__kernel void softmax_cross_entropy(__global const float *z, __global const float *t, __global float *probs,
        __global float *loss, __global float *grad, const int cols, const int clip, const float scale) {
    __local float s[WG];
    const int r = get_group_id(0);
    const int l = get_local_id(0);
    const size_t off = (size_t) r * cols;
    __global const float *zr = z + off;
    float m, sum;
    ROW_MAX_SUM(zr, cols, l, s, m, sum)
    const float lse = log(sum);
    const float inv = 1.0f / sum;
    for (int j = l; j < cols; j += WG) {
        const float zj = zr[j] - m;
        const float p = exp(zj) * inv;
        const float tj = t[off + j];
        // A NaN p (a row with NaN or +Inf) must not be clamped into a finite loss.
        const float lp = clip ? (isnan(p) ? p : log(clamp(p, EPS, 1.0f - EPS))) : zj - lse;
        probs[off + j] = p;
        loss[off + j] = scale * (-tj * lp);
        grad[off + j] = scale * (p - tj);
    }
}

// Log-softmax (Keras log_softmax): x - max - ln(sum e^(x - max)), exact far below the maximum. Every
// x of the row is read before the first y is written (barriers inside ROW_MAX_SUM), so y may be x.
__kernel void log_softmax_rows(__global const float *x, __global float *y, const int cols) {
    __local float s[WG];
    const int r = get_group_id(0);
    const int l = get_local_id(0);
    __global const float *xr = x + (size_t) r * cols;
    __global float *yr = y + (size_t) r * cols;
    float m, sum;
    ROW_MAX_SUM(xr, cols, l, s, m, sum)
    const float lse = log(sum);  // x - m is exact near the maximum; subtracting lse last keeps its digits
    for (int j = l; j < cols; j += WG) yr[j] = (xr[j] - m) - lse;
}

// ---------------------------------------------------------------- row losses (RowLoss)
// One work-group per row. The clips are comparisons (NaN stays NaN); a NaN in a row reaches every
// output of the row through the row's sums.

// Sum over the row of the work-items' values v, returned to every work-item.
#define ROW_SUM(s, l, v, out)                                                                        \
    s[l] = (v);                                                                                      \
    TREE(s, l, COMB_SUM)                                                                             \
    out = s[0];                                                                                      \
    barrier(CLK_LOCAL_MEM_FENCE);

inline float clip_probability(const float v) {
    return v < EPS ? EPS : (v > 1.0f - EPS ? 1.0f - EPS : v);
}

// Keras categorical_crossentropy on probabilities: each row renormalised to sum 1, then clipped.
__kernel void row_loss_categorical_crossentropy(__global const float *p, __global const float *t,
        __global float *loss, __global float *grad, const int cols, const float scale) {
    __local float s[WG];
    const size_t off = (size_t) get_group_id(0) * cols;
    const int l = get_local_id(0);
    float acc = 0.0f;
    for (int j = l; j < cols; j += WG) acc += p[off + j];
    float sum;
    ROW_SUM(s, l, acc, sum)
    // A NaN share is not clipped; a NaN target counts wherever it stands, so it makes the whole gradient NaN.
    acc = 0.0f;
    for (int j = l; j < cols; j += WG) {
        const float q = p[off + j] / sum;
        if (!(q < EPS || q > 1.0f - EPS) || isnan(t[off + j])) acc += t[off + j];
    }
    float unclipped;
    ROW_SUM(s, l, acc, unclipped)
    const float shared = unclipped / sum;
    for (int j = l; j < cols; j += WG) {
        const float pj = p[off + j];
        const float tj = t[off + j];
        const float q = pj / sum;
        const bool clipped = q < EPS || q > 1.0f - EPS;
        loss[off + j] = scale * (-tj * log(clip_probability(q)));
        grad[off + j] = scale * ((clipped ? 0.0f : -tj / pj) + shared);
    }
}

// Keras categorical_hinge: max(neg - pos + 1, 0), neg = max_j (1 - t_j) p_j (NaN wins, then the
// first index), pos = sum t p. The row's loss goes to its first column, 0 (NaN with the loss) to the others.
__kernel void row_loss_categorical_hinge(__global const float *p, __global const float *t,
        __global float *loss, __global float *grad, const int cols, const float scale) {
    __local float s[WG];
    __local float sv[WG];
    __local int si[WG];
    const size_t off = (size_t) get_group_id(0) * cols;
    const int l = get_local_id(0);
    float acc = 0.0f;
    float best = -INFINITY;
    int at = cols;
    for (int j = l; j < cols; j += WG) {
        acc += t[off + j] * p[off + j];
        const float v = (1.0f - t[off + j]) * p[off + j];
        if (at == cols || (isnan(v) && !isnan(best)) || v > best) { best = v; at = j; }
    }
    sv[l] = best;
    si[l] = at;
    float pos;
    ROW_SUM(s, l, acc, pos)
    for (int h = WG / 2; h > 0; h >>= 1) {
        if (l < h) {
            const float v = sv[l + h];
            const int j = si[l + h];
            const float w = sv[l];
            const int k = si[l];
            const bool better = isnan(v) ? (!isnan(w) || j < k) : (!isnan(w) && (v > w || (v == w && j < k)));
            if (j < cols && (k == cols || better)) { sv[l] = v; si[l] = j; }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float margin = sv[0] - pos + 1.0f;
    const int am = si[0];
    const float lv = margin > 0.0f ? margin : (isnan(margin) ? margin : 0.0f);
    for (int j = l; j < cols; j += WG) {
        const float tj = t[off + j];
        loss[off + j] = j == 0 || isnan(lv) ? scale * lv : 0.0f;
        const float g = isnan(margin) ? margin : (margin > 0.0f ? (j == am ? 1.0f - tj : 0.0f) - tj : 0.0f);
        grad[off + j] = scale * g;
    }
}

// Keras cosine_similarity: -sum n(t) n(p), n(v) = v / sqrt(max(sum v^2, EPS^2)).
__kernel void row_loss_cosine_similarity(__global const float *p, __global const float *t,
        __global float *loss, __global float *grad, const int cols, const float scale) {
    __local float s[WG];
    const size_t off = (size_t) get_group_id(0) * cols;
    const int l = get_local_id(0);
    float app = 0.0f;
    float att = 0.0f;
    for (int j = l; j < cols; j += WG) {
        app += p[off + j] * p[off + j];
        att += t[off + j] * t[off + j];
    }
    float pp, tt;
    ROW_SUM(s, l, app, pp)
    ROW_SUM(s, l, att, tt)
    const float eps2 = EPS * EPS;
    const float np = rsqrt(pp < eps2 ? eps2 : pp);
    const float nt = rsqrt(tt < eps2 ? eps2 : tt);
    float acc = 0.0f;
    for (int j = l; j < cols; j += WG) {
        const float share = -(t[off + j] * nt) * (p[off + j] * np);
        loss[off + j] = scale * share;
        acc += share;
    }
    float total;
    ROW_SUM(s, l, acc, total)
    const bool clamped = pp < eps2;
    for (int j = l; j < cols; j += WG) {
        const float tn = t[off + j] * nt;
        const float g = clamped ? -tn * np : -np * (tn + total * p[off + j] * np);
        grad[off + j] = scale * g;
    }
}
