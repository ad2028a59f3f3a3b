// Normalization kernels (batch normalization: statistics per column; layer normalization and the
// Normalization layer's per-row case: per row). A statistic is one work-item's loop over its column
// or row: a batch is a few hundred rows at most, and a column's work-items read neighbouring floats of
// each row, so the loads coalesce. Sums run in blocks of 64 terms added to a total, so the float
// error grows with n / 64 + 64 terms instead of n, and infinities and NaN still flow as IEEE sums do
// (no compensated summation, whose correction term is NaN at an infinity).
//
// per_row selects the layout: 0, statistics per column ([1 x cols]); 1, per row ([rows x 1]).
// A null gamma, beta, dgamma or dbeta is passed as another buffer with its has_* flag 0.

#define BLOCK 64

// max(sqrt(v + eps), floor); a NaN v stays NaN (the comparison is false), unlike fmax.
inline float denominator(const float v, const float eps, const float floor_) {
    const float d = sqrt(v + eps);
    return d < floor_ ? floor_ : d;
}

// The statistics of element (r, c) of a [rows x cols] tensor: index, stride and count of its slice.
#define SLICE_START(s, per_row, cols) ((per_row) ? (size_t)(s) * (cols) : (size_t)(s))
#define SLICE_STEP(per_row, cols) ((per_row) ? (size_t)1 : (size_t)(cols))

__kernel void moments(__global const float *x, __global float *mean, __global float *var, const int rows,
        const int cols, const int per_row) {
    const int s = get_global_id(0);
    const int slices = per_row ? rows : cols;
    if (s >= slices) return;
    const int n = per_row ? cols : rows;
    const size_t start = SLICE_START(s, per_row, cols);
    const size_t step = SLICE_STEP(per_row, cols);
    float total = 0.0f;
    for (int b = 0; b < n; b += BLOCK) {
        float part = 0.0f;
        for (int i = b; i < n && i < b + BLOCK; i++) part += x[start + i * step];
        total += part;
    }
    const float m = total / n;
    total = 0.0f;
    for (int b = 0; b < n; b += BLOCK) {
        float part = 0.0f;
        for (int i = b; i < n && i < b + BLOCK; i++) {
            const float d = x[start + i * step] - m;
            part += d * d;
        }
        total += part;
    }
    mean[s] = m;
    var[s] = total / n;
}

// y = (x - mean) / d * gamma + beta, one work-item per element (not named normalize: a built-in of OpenCL C).
__kernel void normalize_forward(__global const float *x, __global const float *mean, __global const float *var,
        __global const float *gamma, __global const float *beta, __global float *y, const int rows, const int cols,
        const int per_row, const float eps, const float floor_, const int has_gamma, const int has_beta) {
    const size_t i = get_global_id(0);
    if (i >= (size_t) rows * cols) return;
    const int c = (int) (i % cols);
    const int s = per_row ? (int) (i / cols) : c;
    float v = (x[i] - mean[s]) / denominator(var[s], eps, floor_);
    if (has_gamma) v *= gamma[c];
    y[i] = has_beta ? v + beta[c] : v;
}

// Statistics per column: one work-item per column sums dy and dy * xhat down its column, writes dgamma
// and dbeta, then dx = gamma / d (dy - mean(dy) - xhat mean(dy xhat)) with batch statistics, else
// dx = dy gamma / d. dx may be dy: each element is read before it is written, by its own work-item.
__kernel void normalize_backward_columns(__global const float *x, __global const float *mean,
        __global const float *var, __global const float *gamma, __global const float *dy, __global float *dgamma,
        __global float *dbeta, __global float *dx, const int rows, const int cols, const int batch, const float eps,
        const float floor_, const int has_gamma, const int has_dgamma, const int has_dbeta) {
    const int c = get_global_id(0);
    if (c >= cols) return;
    const float k = 1.0f / denominator(var[c], eps, floor_);
    const float m = mean[c];
    float sum = 0.0f;
    float sum_x = 0.0f;
    for (int b = 0; b < rows; b += BLOCK) {
        float part = 0.0f;
        float part_x = 0.0f;
        for (int r = b; r < rows && r < b + BLOCK; r++) {
            const size_t i = (size_t) r * cols + c;
            part += dy[i];
            part_x += dy[i] * ((x[i] - m) * k);
        }
        sum += part;
        sum_x += part_x;
    }
    if (has_dgamma) dgamma[c] = sum_x;
    if (has_dbeta) dbeta[c] = sum;
    const float mean_g = sum / rows;
    const float mean_gx = sum_x / rows;
    const float scale = has_gamma ? gamma[c] * k : k;
    for (int r = 0; r < rows; r++) {
        const size_t i = (size_t) r * cols + c;
        const float g = dy[i];
        dx[i] = batch ? (g - mean_g - ((x[i] - m) * k) * mean_gx) * scale : g * scale;
    }
}

// Statistics per row, first kernel: dgamma and dbeta, sums over the rows, one work-item per column.
__kernel void normalize_parameter_gradients_rows(__global const float *x, __global const float *mean,
        __global const float *var, __global const float *dy, __global float *dgamma, __global float *dbeta,
        const int rows, const int cols, const float eps, const float floor_, const int has_dgamma,
        const int has_dbeta) {
    const int c = get_global_id(0);
    if (c >= cols) return;
    float sum = 0.0f;
    float sum_x = 0.0f;
    for (int b = 0; b < rows; b += BLOCK) {
        float part = 0.0f;
        float part_x = 0.0f;
        for (int r = b; r < rows && r < b + BLOCK; r++) {
            const size_t i = (size_t) r * cols + c;
            part += dy[i];
            part_x += dy[i] * ((x[i] - mean[r]) / denominator(var[r], eps, floor_));
        }
        sum += part;
        sum_x += part_x;
    }
    if (has_dgamma) dgamma[c] = sum_x;
    if (has_dbeta) dbeta[c] = sum;
}

// Statistics per row, second kernel: dx, one work-item per row (after the first, so dx may be dy).
__kernel void normalize_backward_rows(__global const float *x, __global const float *mean,
        __global const float *var, __global const float *gamma, __global const float *dy, __global float *dx,
        const int rows, const int cols, const int batch, const float eps, const float floor_, const int has_gamma) {
    const int r = get_global_id(0);
    if (r >= rows) return;
    const size_t o = (size_t) r * cols;
    const float k = 1.0f / denominator(var[r], eps, floor_);
    const float m = mean[r];
    float mean_g = 0.0f;
    float mean_gx = 0.0f;
    if (batch) {
        float sum = 0.0f;
        float sum_x = 0.0f;
        for (int b = 0; b < cols; b += BLOCK) {
            float part = 0.0f;
            float part_x = 0.0f;
            for (int c = b; c < cols && c < b + BLOCK; c++) {
                const float g = has_gamma ? dy[o + c] * gamma[c] : dy[o + c];
                part += g;
                part_x += g * ((x[o + c] - m) * k);
            }
            sum += part;
            sum_x += part_x;
        }
        mean_g = sum / cols;
        mean_gx = sum_x / cols;
    }
    for (int c = 0; c < cols; c++) {
        const float g = has_gamma ? dy[o + c] * gamma[c] : dy[o + c];
        dx[o + c] = batch ? (g - mean_g - ((x[o + c] - m) * k) * mean_gx) * k : g * k;
    }
}
