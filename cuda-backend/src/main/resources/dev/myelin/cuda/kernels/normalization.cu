// Normalization kernels: the statistics of batch normalization (per column), layer normalization
// (per row) and the Normalization layer, their normalization and its gradients. A statistic is one
// thread's loop over its column or row (a batch is a few hundred rows; a column's threads read
// neighbouring floats of each row, so a warp's loads coalesce), summed in double so the error does not
// grow with the batch. Grid-stride loops over the columns or rows, as in elementwise.cu.
//
// per_row selects the layout: 0, statistics per column ([1 x cols]); 1, per row ([rows x 1]).
// An absent gamma, beta, dgamma or dbeta is a null pointer, never touched.

#define NORM_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

// max(sqrt(v + eps), floor); a NaN v stays NaN (the comparison is false), unlike fmaxf.
__device__ __forceinline__ float norm_denominator(float v, float eps, float floor_) {
    float d = sqrtf(v + eps);
    return d < floor_ ? floor_ : d;
}

extern "C" __global__ void moments(const float* __restrict__ x, float* __restrict__ mean, float* __restrict__ var,
                                   int rows, int cols, int per_row) {
    int slices = per_row ? rows : cols;
    int n = per_row ? cols : rows;
    NORM_STRIDE(s, slices) {
        long long start = per_row ? s * cols : s;
        long long step = per_row ? 1 : cols;
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            total += x[start + i * step];
        }
        float m = (float)(total / n);
        total = 0.0;
        for (int i = 0; i < n; i++) {
            float d = x[start + i * step] - m;
            total += d * d;
        }
        mean[s] = m;
        var[s] = (float)(total / n);
    }
}

// y = (x - mean) / d * gamma + beta, one thread per element; y may be x.
extern "C" __global__ void normalize_forward(const float* x, const float* __restrict__ mean,
                                             const float* __restrict__ var, const float* __restrict__ gamma,
                                             const float* __restrict__ beta, float* y, int rows, int cols, int per_row,
                                             float eps, float floor_) {
    NORM_STRIDE(i, (long long)rows * cols) {
        int c = (int)(i % cols);
        int s = per_row ? (int)(i / cols) : c;
        float v = (x[i] - mean[s]) / norm_denominator(var[s], eps, floor_);
        if (gamma != nullptr) {
            v *= gamma[c];
        }
        y[i] = beta != nullptr ? v + beta[c] : v;
    }
}

// Statistics per column: one thread per column sums dy and dy * xhat down its column, writes dgamma and
// dbeta, then dx = gamma / d (dy - mean(dy) - xhat mean(dy xhat)) with batch statistics, else
// dx = dy gamma / d. dx may be dy: each element is read before it is written, by its own thread.
extern "C" __global__ void normalize_backward_columns(const float* x, const float* mean, const float* var,
                                                      const float* gamma, const float* dy, float* dgamma,
                                                      float* dbeta, float* dx, int rows, int cols, int batch,
                                                      float eps, float floor_) {
    NORM_STRIDE(c, cols) {
        float k = 1.0f / norm_denominator(var[c], eps, floor_);
        float m = mean[c];
        double sum = 0.0;
        double sum_x = 0.0;
        for (int r = 0; r < rows; r++) {
            long long i = (long long)r * cols + c;
            sum += dy[i];
            sum_x += dy[i] * ((x[i] - m) * k);
        }
        if (dgamma != nullptr) {
            dgamma[c] = (float)sum_x;
        }
        if (dbeta != nullptr) {
            dbeta[c] = (float)sum;
        }
        float mean_g = (float)(sum / rows);
        float mean_gx = (float)(sum_x / rows);
        float scale = gamma != nullptr ? gamma[c] * k : k;
        for (int r = 0; r < rows; r++) {
            long long i = (long long)r * cols + c;
            float g = dy[i];
            dx[i] = batch ? (g - mean_g - ((x[i] - m) * k) * mean_gx) * scale : g * scale;
        }
    }
}

// Statistics per row, first kernel: dgamma and dbeta, sums over the rows, one thread per column.
extern "C" __global__ void normalize_parameter_gradients_rows(const float* __restrict__ x,
                                                              const float* __restrict__ mean,
                                                              const float* __restrict__ var,
                                                              const float* __restrict__ dy, float* dgamma,
                                                              float* dbeta, int rows, int cols, float eps,
                                                              float floor_) {
    NORM_STRIDE(c, cols) {
        double sum = 0.0;
        double sum_x = 0.0;
        for (int r = 0; r < rows; r++) {
            long long i = (long long)r * cols + c;
            sum += dy[i];
            sum_x += dy[i] * ((x[i] - mean[r]) / norm_denominator(var[r], eps, floor_));
        }
        if (dgamma != nullptr) {
            dgamma[c] = (float)sum_x;
        }
        if (dbeta != nullptr) {
            dbeta[c] = (float)sum;
        }
    }
}

// Statistics per row, second kernel: dx, one thread per row (after the first, so dx may be dy).
extern "C" __global__ void normalize_backward_rows(const float* x, const float* mean, const float* var,
                                                   const float* gamma, const float* dy, float* dx, int rows, int cols,
                                                   int batch, float eps, float floor_) {
    NORM_STRIDE(r, rows) {
        long long o = r * cols;
        float k = 1.0f / norm_denominator(var[r], eps, floor_);
        float m = mean[r];
        float mean_g = 0.0f;
        float mean_gx = 0.0f;
        if (batch) {
            double sum = 0.0;
            double sum_x = 0.0;
            for (int c = 0; c < cols; c++) {
                float g = gamma != nullptr ? dy[o + c] * gamma[c] : dy[o + c];
                sum += g;
                sum_x += g * ((x[o + c] - m) * k);
            }
            mean_g = (float)(sum / cols);
            mean_gx = (float)(sum_x / cols);
        }
        for (int c = 0; c < cols; c++) {
            float g = gamma != nullptr ? dy[o + c] * gamma[c] : dy[o + c];
            dx[o + c] = batch ? (g - mean_g - ((x[o + c] - m) * k) * mean_gx) * k : g * k;
        }
    }
}
