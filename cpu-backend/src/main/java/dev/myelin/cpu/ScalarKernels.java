package dev.myelin.cpu;

import dev.myelin.spi.Activation;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;

/**
 * Plain-Java kernels: the whole backend when the Vector API is absent, and the tails (the last
 * elements that do not fill a vector) and rare cases of {@code VectorKernels}.
 */
class ScalarKernels implements Kernels {

    /** Sums are accumulated in float over blocks of this many elements, then in double. */
    static final int SUM_BLOCK = 4096;

    static final float SELU_SCALE = (float) Activation.SELU_SCALE;
    static final float SELU_SCALE_ALPHA = (float) (Activation.SELU_SCALE * Activation.SELU_ALPHA);

    private final MicroKernel microKernel = new ScalarMicroKernel();

    @Override
    public String describe() {
        return VectorSupport.SCALAR_DETAIL;
    }

    @Override
    public MicroKernel microKernel() {
        return microKernel;
    }

    // ------------------------------------------------------------------ activations

    /** One element of {@code f}, computed in double where a transcendental function is involved. */
    static float activate(Activation f, float alpha, float x) {
        return switch (f) {
            case LINEAR -> x;
            // NaN fails both comparisons and stays NaN.
            case STEP -> x > 0f ? 1f : x <= 0f ? 0f : x;
            case SIGMOID -> sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case RELU -> Math.max(x, 0f);
            case LEAKY_RELU -> x > 0f ? x : alpha * x;
            case ELU -> x > 0f ? x : (float) (alpha * Math.expm1(x));
            case SELU -> x > 0f ? SELU_SCALE * x : (float) (Activation.SELU_SCALE * Activation.SELU_ALPHA * Math.expm1(x));
            case SOFTPLUS -> (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs((double) x))));
            case SOFTSIGN -> x / (1f + Math.abs(x));
            case EXPONENTIAL -> (float) Math.exp(x);
            case HARD_SIGMOID, RELU6, SILU, GELU, GELU_APPROXIMATE, MISH, HARD_SILU -> ActivationMath.forward(f, x);
        };
    }

    static float sigmoid(float x) {
        // e^-|x| never overflows; the two branches are the same function.
        double e = Math.exp(-Math.abs((double) x));
        return (float) (x >= 0f ? 1.0 / (1.0 + e) : e / (1.0 + e));
    }

    /**
     * One element of {@code dy * f'}, with the derivative written in terms of the output {@code y}; NaN
     * for a NaN {@code y}, which the piecewise cases' comparisons would otherwise send to a constant.
     */
    static float derivative(Activation f, float alpha, float y, float dy) {
        if (Float.isNaN(y)) {
            return y;
        }
        return switch (f) {
            case LINEAR -> dy;
            case STEP -> 0f * dy;
            case SIGMOID -> dy * (y * (1f - y));
            case TANH -> dy * (1f - y * y);
            case RELU -> y > 0f ? dy : 0f * dy;
            case LEAKY_RELU -> y > 0f ? dy : alpha * dy;
            case ELU -> y > 0f ? dy : dy * (y + alpha);
            case SELU -> y > 0f ? dy * SELU_SCALE : dy * (y + SELU_SCALE_ALPHA);
            case SOFTPLUS -> dy * (float) -Math.expm1(-(double) y);
            case SOFTSIGN -> {
                float t = 1f - Math.abs(y);
                yield dy * (t * t);
            }
            case EXPONENTIAL -> dy * y;
            case HARD_SIGMOID -> Float.isNaN(y) ? y : y > 0f && y < 1f ? dy * (1f / 6f) : 0f * dy;
            case RELU6 -> Float.isNaN(y) ? y : y > 0f && y < 6f ? dy : 0f * dy;
            case SILU, GELU, GELU_APPROXIMATE, MISH, HARD_SILU -> throw new IllegalArgumentException(
                    "activationBackward: " + f + " needs its input x");
        };
    }

    @Override
    public void activationBackwardFromInput(Activation f, float alpha, float[] x, float[] dy, float[] dx, int from,
            int to) {
        for (int i = from; i < to; i++) {
            dx[i] = (float) (dy[i] * ActivationMath.derivative(f, alpha, x[i]));
        }
    }

    @Override
    public void activation(Activation f, float alpha, float[] x, float[] y, int from, int to) {
        switch (f) {
            case LINEAR -> System.arraycopy(x, from, y, from, to - from);
            case RELU -> {
                for (int i = from; i < to; i++) {
                    y[i] = Math.max(x[i], 0f);
                }
            }
            default -> {
                for (int i = from; i < to; i++) {
                    y[i] = activate(f, alpha, x[i]);
                }
            }
        }
    }

    @Override
    public void activationBackward(Activation f, float alpha, float[] y, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = derivative(f, alpha, y[i], dy[i]);
        }
    }

    // ------------------------------------------------------------------ softmax

    @Override
    public void softmaxRows(float[] x, float[] y, int cols, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[o + j] - max);
                y[o + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                y[o + j] *= inv;
            }
        }
    }

    /** The largest of {@code x[o .. o + cols)}; NaN wins ({@link Math#max}). */
    private static float rowMax(float[] x, int o, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[o + j]);
        }
        return max;
    }

    @Override
    public void logSoftmaxRows(float[] x, float[] y, int cols, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp((double) x[o + j] - max);
            }
            // Every x of the row is read before the first y is written, so y may be x.
            double shift = max + Math.log(sum);
            for (int j = 0; j < cols; j++) {
                y[o + j] = (float) (x[o + j] - shift);
            }
        }
    }

    @Override
    public double expShifted(float[] x, float[] y, int o, int len, float shift) {
        double sum = 0;
        for (int j = o; j < o + len; j++) {
            float e = (float) Math.exp(x[j] - shift);
            y[j] = e;
            sum += e;
        }
        return sum;
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public double reduce(Reduction r, float[] x, int from, int to) {
        switch (r) {
            case MAX -> {
                float m = Float.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    m = Math.max(m, x[i]);
                }
                return m;
            }
            case MIN -> {
                float m = Float.POSITIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    m = Math.min(m, x[i]);
                }
                return m;
            }
            default -> {
                double total = 0;
                for (int b = from; b < to; b += SUM_BLOCK) {
                    int e = Math.min(to, b + SUM_BLOCK);
                    float s = 0f;
                    switch (r) {
                        case SUM_ABS -> {
                            for (int i = b; i < e; i++) {
                                s += Math.abs(x[i]);
                            }
                        }
                        case SUM_SQUARES -> {
                            for (int i = b; i < e; i++) {
                                s = Math.fma(x[i], x[i], s);
                            }
                        }
                        default -> {
                            for (int i = b; i < e; i++) {
                                s += x[i];
                            }
                        }
                    }
                    total += s;
                }
                return total;
            }
        }
    }

    @Override
    public void reduceColumns(Reduction r, float[] x, int cols, int rowFrom, int rowTo, int colFrom, int colTo,
            float[] acc) {
        for (int row = rowFrom; row < rowTo; row++) {
            int o = row * cols;
            switch (r) {
                case MAX -> {
                    for (int c = colFrom; c < colTo; c++) {
                        acc[c] = Math.max(acc[c], x[o + c]);
                    }
                }
                case MIN -> {
                    for (int c = colFrom; c < colTo; c++) {
                        acc[c] = Math.min(acc[c], x[o + c]);
                    }
                }
                case SUM_ABS -> {
                    for (int c = colFrom; c < colTo; c++) {
                        acc[c] += Math.abs(x[o + c]);
                    }
                }
                case SUM_SQUARES -> {
                    for (int c = colFrom; c < colTo; c++) {
                        acc[c] = Math.fma(x[o + c], x[o + c], acc[c]);
                    }
                }
                default -> {
                    for (int c = colFrom; c < colTo; c++) {
                        acc[c] += x[o + c];
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ element-wise arithmetic

    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQUAL -> a == b ? 1f : 0f;
            case GREATER -> a > b ? 1f : 0f;
        };
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int len) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < len; i++) {
                    out[oo + i] = a[ao + i] + b[bo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < len; i++) {
                    out[oo + i] = a[ao + i] * b[bo + i];
                }
            }
            default -> {
                for (int i = 0; i < len; i++) {
                    out[oo + i] = apply(op, a[ao + i], b[bo + i]);
                }
            }
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, float[] a, int ao, float s, float[] out, int oo, int len) {
        for (int i = 0; i < len; i++) {
            out[oo + i] = apply(op, a[ao + i], s);
        }
    }

    @Override
    public void axpby(float alpha, float[] x, float beta, float[] y, int from, int to) {
        if (beta == 0f) {
            for (int i = from; i < to; i++) {
                y[i] = alpha * x[i];
            }
        } else {
            for (int i = from; i < to; i++) {
                y[i] = alpha * x[i] + beta * y[i];
            }
        }
    }
}
