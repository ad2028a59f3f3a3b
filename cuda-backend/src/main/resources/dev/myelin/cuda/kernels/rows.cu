// Row-wise and reducing kernels: softmax, argmax, reductions and the fused softmax
// cross-entropy. A row is handled by one block of MYELIN_ROW_THREADS threads (a power of two):
// each thread walks the row with a stride of the block size, so reads are coalesced, and the
// partial results meet in a shared-memory tree. Rows are independent, so the grid is one block
// per row. Sums accumulate in double: a float running sum over thousands of elements loses
// digits the float64 reference keeps, and these kernels are bound by memory, not arithmetic.

#define NEG_INF __int_as_float(0xff800000)
#define POS_INF __int_as_float(0x7f800000)

// Combines two partial results; NaN wins max and min, as in Java's Math.max and Math.min.
__device__ __forceinline__ double reduce_combine(int r, double a, double b) {
    switch (r) {
    case MYELIN_RED_MAX: return (b > a || b != b) ? b : a;
    case MYELIN_RED_MIN: return (b < a || b != b) ? b : a;
    default: return a + b;  // SUM, MEAN, SUM_ABS, SUM_SQUARES
    }
}

__device__ __forceinline__ double reduce_identity(int r) {
    return r == MYELIN_RED_MAX ? (double)NEG_INF : r == MYELIN_RED_MIN ? (double)POS_INF : 0.0;
}

// What one element contributes.
__device__ __forceinline__ double reduce_lift(int r, float v) {
    double d = (double)v;
    return r == MYELIN_RED_SUM_ABS ? fabs(d) : r == MYELIN_RED_SUM_SQUARES ? d * d : d;
}

__device__ __forceinline__ float reduce_finish(int r, double acc, long long count) {
    return (float)(r == MYELIN_RED_MEAN ? acc / (double)count : acc);
}

// Tree over blockDim.x (a power of two) entries of s; returns s[0] to every thread.
__device__ double block_reduce(int r, double v, double* s) {
    int t = threadIdx.x;
    s[t] = v;
    __syncthreads();
    for (int h = blockDim.x >> 1; h > 0; h >>= 1) {
        if (t < h) {
            s[t] = reduce_combine(r, s[t], s[t + h]);
        }
        __syncthreads();
    }
    double out = s[0];
    __syncthreads();
    return out;
}

// max that lets NaN win (fmaxf returns the other operand for a NaN, so a softmax row holding NaN
// would get a finite maximum).
__device__ __forceinline__ float max_nan(float a, float b) {
    return (a != a || b != b) ? a + b : fmaxf(a, b);
}

__device__ float block_max(float v, float* s) {
    int t = threadIdx.x;
    s[t] = v;
    __syncthreads();
    for (int h = blockDim.x >> 1; h > 0; h >>= 1) {
        if (t < h) {
            s[t] = max_nan(s[t], s[t + h]);
        }
        __syncthreads();
    }
    float out = s[0];
    __syncthreads();
    return out;
}

__device__ float block_sum(float v, float* s) {
    int t = threadIdx.x;
    s[t] = v;
    __syncthreads();
    for (int h = blockDim.x >> 1; h > 0; h >>= 1) {
        if (t < h) {
            s[t] += s[t + h];
        }
        __syncthreads();
    }
    float out = s[0];
    __syncthreads();
    return out;
}

// out[row] = reduction of x[row, :]. Grid: rows blocks.
extern "C" __global__ void reduce_rows(int r, const float* __restrict__ x, float* __restrict__ out, int rows,
                                       int cols) {
    __shared__ double s[MYELIN_ROW_THREADS];
    const float* row = x + (long long)blockIdx.x * cols;
    double acc = reduce_identity(r);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        acc = reduce_combine(r, acc, reduce_lift(r, row[j]));
    }
    acc = block_reduce(r, acc, s);
    if (threadIdx.x == 0) {
        out[blockIdx.x] = reduce_finish(r, acc, cols);
    }
}

// out[col] = reduction of x[:, col]. Block: 32 columns x MYELIN_COLUMN_SLICES row slices, so a
// warp reads 32 neighbouring floats of one row; the slices then meet in shared memory.
// Grid: ceil(cols / 32) blocks.
extern "C" __global__ void reduce_columns(int r, const float* __restrict__ x, float* __restrict__ out, int rows,
                                          int cols) {
    __shared__ double s[MYELIN_COLUMN_SLICES][32];
    int col = blockIdx.x * 32 + threadIdx.x;
    double acc = reduce_identity(r);
    if (col < cols) {
        for (int i = threadIdx.y; i < rows; i += blockDim.y) {
            acc = reduce_combine(r, acc, reduce_lift(r, x[(long long)i * cols + col]));
        }
    }
    s[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < cols) {
        for (int k = 1; k < (int)blockDim.y; k++) {
            acc = reduce_combine(r, acc, s[k][threadIdx.x]);
        }
        out[col] = reduce_finish(r, acc, rows);
    }
}

// out[0] = reduction of every element. Grid: one block, which strides over the whole tensor.
extern "C" __global__ void reduce_all(int r, const float* __restrict__ x, float* __restrict__ out, int n) {
    __shared__ double s[MYELIN_ROW_THREADS];
    double acc = reduce_identity(r);
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        acc = reduce_combine(r, acc, reduce_lift(r, x[i]));
    }
    acc = block_reduce(r, acc, s);
    if (threadIdx.x == 0) {
        out[0] = reduce_finish(r, acc, n);
    }
}

// out[row] = index of the largest element of the row, the first one on ties; in a row holding NaN,
// the index of its first NaN (NaN wins, as numpy's argmax). Each thread keeps its best (value, index)
// with a strict '>' so it holds its own first maximum, and keeps the first NaN it meets for good; the
// tree then prefers NaN to a number, then the larger value, then the smaller index.
extern "C" __global__ void argmax_rows(const float* __restrict__ x, float* __restrict__ out, int rows, int cols) {
    __shared__ float sv[MYELIN_ROW_THREADS];
    __shared__ int si[MYELIN_ROW_THREADS];
    const float* row = x + (long long)blockIdx.x * cols;
    int t = threadIdx.x;
    float best = NEG_INF;
    int index = 0x7fffffff;
    for (int j = t; j < cols; j += blockDim.x) {
        float v = row[j];
        if (index == 0x7fffffff || (best == best && (v > best || v != v))) {
            best = v;
            index = j;
        }
    }
    sv[t] = best;
    si[t] = index;
    __syncthreads();
    for (int h = blockDim.x >> 1; h > 0; h >>= 1) {
        if (t < h) {
            float v = sv[t + h];
            int i = si[t + h];
            float b = sv[t];
            bool better = v != v ? (b == b || i < si[t]) : (b == b && (v > b || (v == b && i < si[t])));
            if (better) {
                sv[t] = v;
                si[t] = i;
            }
        }
        __syncthreads();
    }
    if (t == 0) {
        out[blockIdx.x] = (float)si[0];
    }
}

// y[row, :] = softmax(x[row, :]), max-subtracted. x and y may be the same tensor: each thread
// reads an element in the last pass before it writes that same element.
extern "C" __global__ void softmax_rows(const float* x, float* y, int rows, int cols) {
    __shared__ float s[MYELIN_ROW_THREADS];
    long long base = (long long)blockIdx.x * cols;
    float m = NEG_INF;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        m = max_nan(m, x[base + j]);
    }
    m = block_max(m, s);
    float sum = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        sum += expf(x[base + j] - m);
    }
    sum = block_sum(sum, s);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        y[base + j] = expf(x[base + j] - m) / sum;
    }
}

// Softmax + categorical cross-entropy per row (LogitsLoss.SOFTMAX):
//   probs = softmax(z); loss = scale * -t ln q; grad = scale * (probs - t)
// ln q is the exact z - max - ln(sum e^(z - max)) (no rounding of p before the logarithm); with
// clip, where p falls outside [EPS, 1 - EPS] it is the logarithm of the clipping bound.
extern "C" __global__ void softmax_cross_entropy(int clip, float scale, const float* __restrict__ z,
                                                 const float* __restrict__ t, float* __restrict__ probs,
                                                 float* __restrict__ loss, float* __restrict__ grad, int rows,
                                                 int cols) {
    __shared__ float s[MYELIN_ROW_THREADS];
    long long base = (long long)blockIdx.x * cols;
    float m = NEG_INF;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        m = max_nan(m, z[base + j]);
    }
    m = block_max(m, s);
    float sum = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        sum += expf(z[base + j] - m);
    }
    sum = block_sum(sum, s);
    float log_sum = logf(sum);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        long long i = base + j;
        float shifted = z[i] - m;
        float p = expf(shifted) / sum;
        float target = t[i];
        float log_q = clip && p < MYELIN_EPS ? MYELIN_LN_EPS
                    : clip && p > MYELIN_ONE_MINUS_EPS ? MYELIN_LN_ONE_MINUS_EPS
                    : shifted - log_sum;
        probs[i] = p;
        loss[i] = scale * (-target * log_q);
        grad[i] = scale * (p - target);
    }
}

// Log-softmax (Keras log_softmax): (x - max) - ln(sum e^(x - max)); x - max is exact near the maximum
// and the logarithm is subtracted last. Every x of the row is read before the block's barriers end, so
// y may be x.
extern "C" __global__ void log_softmax_rows(const float* x, float* y, int rows, int cols) {
    __shared__ float s[MYELIN_ROW_THREADS];
    long long base = (long long)blockIdx.x * cols;
    float m = NEG_INF;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        m = fmaxf(m, x[base + j]);
    }
    m = block_max(m, s);
    float sum = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        sum += expf(x[base + j] - m);
    }
    sum = block_sum(sum, s);  // a NaN anywhere in the row makes the sum, and so the whole row, NaN
    float lse = logf(sum);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        y[base + j] = (x[base + j] - m) - lse;
    }
}

// ---------------------------------------------------------------- row losses (RowLoss)
// One block per row; clips are comparisons, so NaN stays NaN and reaches the row through its sums.

// Keras categorical_crossentropy on probabilities: each row renormalised to sum 1, then clipped.
extern "C" __global__ void row_loss_categorical_crossentropy(float scale, const float* __restrict__ p,
                                                             const float* __restrict__ t, float* __restrict__ loss,
                                                             float* __restrict__ grad, int rows, int cols) {
    __shared__ float s[MYELIN_ROW_THREADS];
    long long base = (long long)blockIdx.x * cols;
    float acc = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        acc += p[base + j];
    }
    float sum = block_sum(acc, s);
    // A NaN share is not clipped; a NaN target counts wherever it stands, so it makes the whole gradient NaN.
    acc = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float q = p[base + j] / sum;
        float tj = t[base + j];
        if (!(q < MYELIN_EPS || q > MYELIN_ONE_MINUS_EPS) || tj != tj) acc += tj;
    }
    float shared = block_sum(acc, s) / sum;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        long long i = base + j;
        float q = p[i] / sum;
        bool clipped = q < MYELIN_EPS || q > MYELIN_ONE_MINUS_EPS;
        float c = q < MYELIN_EPS ? MYELIN_EPS : q > MYELIN_ONE_MINUS_EPS ? MYELIN_ONE_MINUS_EPS : q;
        loss[i] = scale * (-t[i] * logf(c));
        grad[i] = scale * ((clipped ? 0.0f : -t[i] / p[i]) + shared);
    }
}

// Keras categorical_hinge: max(neg - pos + 1, 0) with neg = max_j (1 - t_j) p_j (NaN wins, then the
// first index) and pos = sum t p; the row's loss goes to its first column, 0 (NaN with the loss) to the others.
extern "C" __global__ void row_loss_categorical_hinge(float scale, const float* __restrict__ p,
                                                      const float* __restrict__ t, float* __restrict__ loss,
                                                      float* __restrict__ grad, int rows, int cols) {
    __shared__ float s[MYELIN_ROW_THREADS];
    __shared__ float sv[MYELIN_ROW_THREADS];
    __shared__ int si[MYELIN_ROW_THREADS];
    long long base = (long long)blockIdx.x * cols;
    int tid = threadIdx.x;
    float acc = 0.0f;
    float best = NEG_INF;
    int at = cols;
    for (int j = tid; j < cols; j += blockDim.x) {
        acc += t[base + j] * p[base + j];
        float v = (1.0f - t[base + j]) * p[base + j];
        if (at == cols || (v != v && best == best) || v > best) { best = v; at = j; }
    }
    sv[tid] = best;
    si[tid] = at;
    float pos = block_sum(acc, s);
    for (int h = blockDim.x >> 1; h > 0; h >>= 1) {
        if (tid < h) {
            float v = sv[tid + h];
            int j = si[tid + h];
            float w = sv[tid];
            int k = si[tid];
            bool better = v != v ? (w == w || j < k) : (w == w && (v > w || (v == w && j < k)));
            if (j < cols && (k == cols || better)) { sv[tid] = v; si[tid] = j; }
        }
        __syncthreads();
    }
    float margin = sv[0] - pos + 1.0f;
    int am = si[0];
    float value = margin > 0.0f ? margin : margin != margin ? margin : 0.0f;
    for (int j = tid; j < cols; j += blockDim.x) {
        long long i = base + j;
        loss[i] = j == 0 || value != value ? scale * value : 0.0f;
        float g = margin != margin ? margin : margin > 0.0f ? (j == am ? 1.0f - t[i] : 0.0f) - t[i] : 0.0f;
        grad[i] = scale * g;
    }
}

// Keras cosine_similarity: -sum n(t) n(p), n(v) = v / sqrt(max(sum v^2, EPS^2)).
extern "C" __global__ void row_loss_cosine_similarity(float scale, const float* __restrict__ p,
                                                      const float* __restrict__ t, float* __restrict__ loss,
                                                      float* __restrict__ grad, int rows, int cols) {
    __shared__ float s[MYELIN_ROW_THREADS];
    long long base = (long long)blockIdx.x * cols;
    float app = 0.0f;
    float att = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        app += p[base + j] * p[base + j];
        att += t[base + j] * t[base + j];
    }
    float pp = block_sum(app, s);
    float tt = block_sum(att, s);
    float eps2 = MYELIN_EPS * MYELIN_EPS;
    float np = 1.0f / sqrtf(pp < eps2 ? eps2 : pp);
    float nt = 1.0f / sqrtf(tt < eps2 ? eps2 : tt);
    float acc = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float share = -(t[base + j] * nt) * (p[base + j] * np);
        loss[base + j] = scale * share;
        acc += share;
    }
    float total = block_sum(acc, s);
    bool clamped = pp < eps2;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float tn = t[base + j] * nt;
        float g = clamped ? -tn * np : -np * (tn + total * p[base + j] * np);
        grad[base + j] = scale * g;
    }
}
