package dev.myelin.contract;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.UpdateRule;

/**
 * The float64 reference of every {@link dev.myelin.spi.Backend} operation, written straight from the
 * formulas in the SPI's Javadoc (Backend, Activation, ElementLoss, LogitsLoss, UpdateRule,
 * CounterRandom) for clarity, not speed. Matrices are row-major {@code double[]}; every method
 * returns a new array except {@link #optimizerUpdate}, which updates its arguments in place as the
 * kernel does.
 *
 * <p>The clipping bounds of the losses are the float32 values {@code EPS = 1e-7f} and
 * {@code 1 - EPS} rounded to float32 (0.99999988), because a float32 kernel, like Keras in float32,
 * compares with those; with the exact double {@code 1 - 1e-7} the loss of a saturated probability
 * would differ by 1% between the reference and every correct float32 backend.
 */
public final class ReferenceMath {

    /** Keras's loss epsilon as a float32 kernel holds it. */
    public static final double EPS = ElementLoss.EPS;
    /** {@code 1 - EPS} as a float32 kernel computes it. */
    public static final double ONE_MINUS_EPS = 1f - ElementLoss.EPS;

    private ReferenceMath() {
    }

    // ---------------------------------------------------------------- conversions

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    public static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    // ---------------------------------------------------------------- gemm

    /**
     * {@code alpha * op(A) * op(B) + beta * C} as a new {@code [m x n]} array, {@code A} being
     * {@code [aRows x aCols]} and {@code B} {@code [bRows x bCols]} before the transposes. With
     * {@code beta == 0} {@code c} is not read (it may be null or hold NaN).
     */
    public static double[] gemm(boolean transA, boolean transB, double alpha, double[] a, int aRows, int aCols,
            double[] b, int bRows, int bCols, double beta, double[] c) {
        int m = transA ? aCols : aRows;
        int k = transA ? aRows : aCols;
        int kb = transB ? bCols : bRows;
        int n = transB ? bRows : bCols;
        if (k != kb) {
            throw new IllegalArgumentException("gemm: op(a) is [" + m + " x " + k + "], op(b) is [" + kb + " x " + n + "]");
        }
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[p * aCols + i] : a[i * aCols + p];
                    double bpj = transB ? b[j * bCols + p] : b[p * bCols + j];
                    sum += aip * bpj;
                }
                out[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- activations

    /** {@code f(x)} as {@link Activation} defines it; NaN for a NaN {@code x}, whatever the branches say. */
    public static double activation(Activation f, double alpha, double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        return switch (f) {
            case LINEAR -> x;
            case STEP -> x > 0 ? 1 : 0;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case ELU -> x > 0 ? x : alpha * Math.expm1(x);
            case SELU -> Activation.SELU_SCALE * (x > 0 ? x : Activation.SELU_ALPHA * Math.expm1(x));
            // log(1 + e^x) written so that it does not overflow for large x.
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case EXPONENTIAL -> Math.exp(x);
            case HARD_SIGMOID, RELU6, SILU, GELU, GELU_APPROXIMATE, MISH, HARD_SILU -> KerasReference.activation(f, x);
        };
    }

    /**
     * {@code f'(x)} written with the forward output {@code y = f(x)}, as {@link Activation} defines it;
     * NaN for a NaN {@code y}, even where the derivative does not depend on {@code y}.
     */
    public static double activationDerivative(Activation f, double alpha, double y) {
        if (Double.isNaN(y)) {
            return y;
        }
        return switch (f) {
            case LINEAR -> 1;
            case STEP -> 0;
            case SIGMOID -> y * (1 - y);
            case TANH -> 1 - y * y;
            case RELU -> y > 0 ? 1 : 0;
            case LEAKY_RELU -> y > 0 ? 1 : alpha;
            case ELU -> y > 0 ? 1 : y + alpha;
            case SELU -> y > 0 ? Activation.SELU_SCALE : y + Activation.SELU_SCALE * Activation.SELU_ALPHA;
            case SOFTPLUS -> -Math.expm1(-y);
            case SOFTSIGN -> (1 - Math.abs(y)) * (1 - Math.abs(y));
            case EXPONENTIAL -> y;
            case HARD_SIGMOID, RELU6, SILU, GELU, GELU_APPROXIMATE, MISH, HARD_SILU ->
                    KerasReference.derivativeFromOutput(f, y);
        };
    }

    /** {@code dx = dy * f'(x)} from the forward input {@code x}. */
    public static double[] activationBackwardFromInput(Activation f, double alpha, double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = dy[i] * KerasReference.derivativeFromInput(f, alpha, x[i]);
        }
        return dx;
    }

    public static double[] activation(Activation f, double alpha, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = activation(f, alpha, x[i]);
        }
        return y;
    }

    /** {@code dx = dy * f'(x)} from the forward output {@code y}. */
    public static double[] activationBackward(Activation f, double alpha, double[] y, double[] dy) {
        double[] dx = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            dx[i] = dy[i] * activationDerivative(f, alpha, y[i]);
        }
        return dx;
    }

    // ---------------------------------------------------------------- softmax, reductions

    /** Row-wise softmax of a {@code [rows x cols]} matrix, max-subtracted. */
    public static double[] softmax(double[] x, int rows, int cols) {
        double[] y = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[i * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                y[i * cols + j] = Math.exp(x[i * cols + j] - max);
                sum += y[i * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                y[i * cols + j] /= sum;
            }
        }
        return y;
    }

    /** {@code ln softmax(x)} per row, exact: {@code x - max - ln(sum e^(x - max))}. */
    public static double[] logSoftmax(double[] x, int rows, int cols) {
        double[] y = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[i * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[i * cols + j] - max);
            }
            double lse = Math.log(sum);
            for (int j = 0; j < cols; j++) {
                y[i * cols + j] = x[i * cols + j] - max - lse;
            }
        }
        return y;
    }

    /** Reduces a {@code [rows x cols]} matrix along {@code axis}; the result is shaped {@link Axis#outputShape}. */
    public static double[] reduce(Reduction r, Axis axis, double[] x, int rows, int cols) {
        return switch (axis) {
            case PER_ROW -> {
                double[] out = new double[rows];
                for (int i = 0; i < rows; i++) {
                    out[i] = reduce(r, x, i * cols, 1, cols);
                }
                yield out;
            }
            case PER_COLUMN -> {
                double[] out = new double[cols];
                for (int j = 0; j < cols; j++) {
                    out[j] = reduce(r, x, j, cols, rows);
                }
                yield out;
            }
            case ALL -> new double[] {reduce(r, x, 0, 1, rows * cols)};
        };
    }

    /** Reduces the {@code count} elements {@code x[start], x[start + stride], ...}. */
    private static double reduce(Reduction r, double[] x, int start, int stride, int count) {
        double acc = switch (r) {
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            default -> 0;
        };
        for (int p = 0; p < count; p++) {
            double v = x[start + p * stride];
            acc = switch (r) {
                case SUM, MEAN -> acc + v;
                case MAX -> Math.max(acc, v);
                case MIN -> Math.min(acc, v);
                case SUM_ABS -> acc + Math.abs(v);
                case SUM_SQUARES -> acc + v * v;
            };
        }
        return r == Reduction.MEAN ? acc / count : acc;
    }

    /**
     * Index of the first largest element of each row, as a {@code [rows x 1]} column; in a row holding
     * NaN, the index of its first NaN (NaN wins, as in numpy and PyTorch).
     */
    public static double[] argmax(double[] x, int rows, int cols) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int j = 1; j < cols && !Double.isNaN(x[i * cols + best]); j++) {
                if (x[i * cols + j] > x[i * cols + best] || Double.isNaN(x[i * cols + j])) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    // ---------------------------------------------------------------- element-wise

    public static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQUAL -> a == b ? 1 : 0;
            case GREATER -> a > b ? 1 : 0;
        };
    }

    /**
     * {@code a op b} for {@code a [rows x cols]} and {@code b} shaped like {@code a}, a row
     * {@code [1 x cols]}, a column {@code [rows x 1]} or a scalar {@code [1 x 1]}.
     */
    public static double[] binary(BinaryOp op, double[] a, int rows, int cols, double[] b, int bRows, int bCols) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int bi = bRows == 1 ? 0 : i;
                int bj = bCols == 1 ? 0 : j;
                out[i * cols + j] = binary(op, a[i * cols + j], b[bi * bCols + bj]);
            }
        }
        return out;
    }

    /** {@code alpha * x + beta * y}; with {@code beta == 0} y is not read. */
    public static double[] axpby(double alpha, double[] x, double beta, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = alpha * x[i] + (beta == 0 ? 0 : beta * y[i]);
        }
        return out;
    }

    // ---------------------------------------------------------------- random

    /** Whether inverted dropout keeps element {@code i}: {@code uniform(seed, i) >= rate}. */
    public static boolean dropoutKeeps(float rate, long seed, long i) {
        return CounterRandom.uniform(seed, i) >= rate;
    }

    /** Inverted dropout: {@code x[i] / (1 - rate)} where kept, else {@code x[i] - x[i]} (0, or NaN for a NaN or infinite x). */
    public static double[] dropout(float rate, long seed, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = dropoutKeeps(rate, seed, i) ? x[i] / (1 - (double) rate) : x[i] - x[i];
        }
        return y;
    }

    /** The standard normal of {@link CounterRandom#normal}, in float64 without its final rounding. */
    public static double normal(long seed, long i) {
        double u1 = CounterRandom.uniform(seed, 2 * i);
        double u2 = CounterRandom.uniform(seed, 2 * i + 1);
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** UNIFORM: {@code a + (b - a) uniform(seed, i)}; NORMAL: {@code a + b normal(seed, i)}. */
    public static double[] randomFill(Distribution d, double a, double b, long seed, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (d) {
                case UNIFORM -> a + (b - a) * CounterRandom.uniform(seed, i);
                case NORMAL -> a + b * normal(seed, i);
            };
        }
        return out;
    }

    // ---------------------------------------------------------------- losses

    /** A per-element loss and its gradient. */
    public record LossAndGradient(double[] loss, double[] grad) {
    }

    /** The fused logits loss: probabilities, per-element loss and gradient with respect to the logits. */
    public record LogitsResult(double[] probs, double[] loss, double[] grad) {
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, EPS), ONE_MINUS_EPS);
    }

    private static boolean clipped(double p) {
        return p < EPS || p > ONE_MINUS_EPS;
    }

    /** {@code l(p, t)} as {@link ElementLoss} defines it; {@code param} is Huber's delta. NaN if p or t is. */
    public static double elementLoss(ElementLoss kind, double param, double p, double t) {
        if (Double.isNaN(p) || Double.isNaN(t)) {
            return Double.NaN;
        }
        return switch (kind) {
            case MSE -> (p - t) * (p - t);
            case MAE -> Math.abs(p - t);
            case MAPE -> 100 * Math.abs(t - p) / Math.max(Math.abs(t), EPS);
            case MSLE -> {
                double d = Math.log(Math.max(p, EPS) + 1) - Math.log(Math.max(t, EPS) + 1);
                yield d * d;
            }
            case HINGE -> Math.max(1 - t * p, 0);
            case SQUARED_HINGE -> Math.max(1 - t * p, 0) * Math.max(1 - t * p, 0);
            case HUBER -> {
                double e = p - t;
                yield Math.abs(e) <= param ? e * e / 2 : param * Math.abs(e) - param * param / 2;
            }
            case BINARY_CROSSENTROPY -> {
                double q = clip(p);
                yield -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
            }
            case CATEGORICAL_CROSSENTROPY -> -t * Math.log(clip(p));
            default -> KerasReference.elementLoss(kind, param, 0, p, t);
        };
    }

    /** {@code dl/dp} as {@link ElementLoss} defines it; NaN if p or t is (never a clipped 0). */
    public static double elementLossGradient(ElementLoss kind, double param, double p, double t) {
        if (Double.isNaN(p) || Double.isNaN(t)) {
            return Double.NaN;
        }
        return switch (kind) {
            case MSE -> 2 * (p - t);
            case MAE -> Math.signum(p - t);
            case MAPE -> 100 * Math.signum(p - t) / Math.max(Math.abs(t), EPS);
            case MSLE -> {
                if (p < EPS) {
                    yield 0;
                }
                double d = Math.log(Math.max(p, EPS) + 1) - Math.log(Math.max(t, EPS) + 1);
                yield 2 * d / (p + 1);
            }
            case HINGE -> 1 - t * p > 0 ? -t : 0;
            case SQUARED_HINGE -> -2 * t * Math.max(1 - t * p, 0);
            case HUBER -> {
                double e = p - t;
                yield Math.abs(e) <= param ? e : param * Math.signum(e);
            }
            case BINARY_CROSSENTROPY -> clipped(p) ? 0 : (p - t) / (p * (1 - p));
            case CATEGORICAL_CROSSENTROPY -> clipped(p) ? 0 : -t / p;
            default -> KerasReference.elementLossGradient(kind, param, 0, p, t);
        };
    }

    /** {@code loss[i] = scale * l(p[i], t[i])}, {@code grad[i] = scale * dl/dp}. */
    public static LossAndGradient elementLoss(ElementLoss kind, double param, double scale, double[] p, double[] t) {
        return elementLoss(kind, param, 0, scale, p, t);
    }

    /** As above, with the second parameter (the balanced focal loss's alpha). */
    public static LossAndGradient elementLoss(ElementLoss kind, double param, double param2, double scale, double[] p,
            double[] t) {
        boolean keras3 = kind.ordinal() >= ElementLoss.LOG_COSH.ordinal();
        double[] loss = new double[p.length];
        double[] grad = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            loss[i] = scale * (keras3 ? KerasReference.elementLoss(kind, param, param2, p[i], t[i])
                    : elementLoss(kind, param, p[i], t[i]));
            grad[i] = scale * (keras3 ? KerasReference.elementLossGradient(kind, param, param2, p[i], t[i])
                    : elementLossGradient(kind, param, p[i], t[i]));
        }
        return new LossAndGradient(loss, grad);
    }

    /** {@link LogitsLoss}: probabilities, {@code scale *} loss and {@code scale (p - t)} for logits {@code [rows x cols]}. */
    public static LogitsResult crossEntropyWithLogits(LogitsLoss kind, boolean clip, double scale, double[] z,
            double[] t, int rows, int cols) {
        int n = rows * cols;
        double[] probs = kind == LogitsLoss.SOFTMAX ? softmax(z, rows, cols) : activation(Activation.SIGMOID, 0, z);
        double[] logSoftmax = kind == LogitsLoss.SOFTMAX ? logSoftmax(z, rows, cols) : null;
        double[] loss = new double[n];
        double[] grad = new double[n];
        for (int i = 0; i < n; i++) {
            double l;
            if (kind == LogitsLoss.SOFTMAX) {
                l = -t[i] * (clip ? Math.log(clip(probs[i])) : logSoftmax[i]);
            } else if (clip) {
                double q = clip(probs[i]);
                l = -(t[i] * Math.log(q) + (1 - t[i]) * Math.log(1 - q));
            } else {
                l = Math.max(z[i], 0) - z[i] * t[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
            }
            loss[i] = scale * l;
            grad[i] = scale * (probs[i] - t[i]);
        }
        return new LogitsResult(probs, loss, grad);
    }

    // ---------------------------------------------------------------- optimizers

    /**
     * One step of {@code rule} exactly as {@link UpdateRule} states it, updating {@code w} and
     * {@code slots} in place; the regularizers are folded in first: {@code g + l1 sign(w) + 2 l2 w}, each
     * term only where its factor is non-zero (so a zero factor never turns an infinite weight into NaN),
     * with {@code sign(NaN) = NaN}.
     */
    public static void optimizerUpdate(UpdateRule rule, double[] c, double l1, double l2, double[] w, double[] g,
            double[]... slots) {
        optimizerUpdate(rule, c, l1, l2, GradientClip.NONE, 0, 0, 0, w, g, slots);
    }

    /**
     * One step with clipping and decoupled weight decay as {@link UpdateRule} orders them: regularize,
     * clip ({@link GradientClip}, {@code sumSquares} the sum of squares the norms read), decay, update.
     */
    public static void optimizerUpdate(UpdateRule rule, double[] c, double l1, double l2, GradientClip clip,
            double clipAt, double sumSquares, double decay, double[] w, double[] g, double[]... slots) {
        if (c.length != rule.coefficients() || slots.length != rule.slots()) {
            throw new IllegalArgumentException(rule + " needs " + rule.coefficients() + " coefficients and "
                    + rule.slots() + " slots, got " + c.length + " and " + slots.length);
        }
        double scale = clip.scale(sumSquares, clipAt);
        for (int i = 0; i < w.length; i++) {
            double gi = (g[i] + (l1 == 0 ? 0 : l1 * Math.signum(w[i])) + (l2 == 0 ? 0 : 2 * l2 * w[i])) * scale;
            if (clip == GradientClip.VALUE) {
                gi = gi < -clipAt ? -clipAt : gi > clipAt ? clipAt : gi;
            }
            if (decay != 0) {
                w[i] -= w[i] * decay;
            }
            switch (rule) {
                case SGD -> w[i] -= c[0] * gi;
                case MOMENTUM -> {
                    double[] m = slots[0];
                    m[i] = c[1] * m[i] - c[0] * gi;
                    w[i] += m[i];
                }
                case NESTEROV -> {
                    double[] m = slots[0];
                    m[i] = c[1] * m[i] - c[0] * gi;
                    w[i] += c[1] * m[i] - c[0] * gi;
                }
                case RMSPROP -> {
                    double[] v = slots[0];
                    double[] m = slots[1];
                    double[] a = slots[2];
                    double lr = c[0];
                    double rho = c[1];
                    double eps = c[2];
                    double mu = c[3];
                    boolean centered = c[4] != 0;
                    v[i] = rho * v[i] + (1 - rho) * gi * gi;
                    double d;
                    if (centered) {
                        a[i] = rho * a[i] + (1 - rho) * gi;
                        d = v[i] - a[i] * a[i] + eps;
                    } else {
                        d = v[i] + eps;
                    }
                    double inc = lr * gi / Math.sqrt(d);
                    if (mu > 0) {
                        m[i] = mu * m[i] + inc;
                        w[i] -= m[i];
                    } else {
                        w[i] -= inc;
                    }
                }
                case ADAGRAD -> {
                    double[] acc = slots[0];
                    acc[i] += gi * gi;
                    w[i] -= c[0] * gi / Math.sqrt(acc[i] + c[1]);
                }
                case ADADELTA -> {
                    double[] ag = slots[0];
                    double[] ad = slots[1];
                    double lr = c[0];
                    double rho = c[1];
                    double eps = c[2];
                    ag[i] = rho * ag[i] + (1 - rho) * gi * gi;
                    double dv = -Math.sqrt(ad[i] + eps) * gi / Math.sqrt(ag[i] + eps);
                    ad[i] = rho * ad[i] + (1 - rho) * dv * dv;
                    w[i] += lr * dv;
                }
                case ADAM -> {
                    double[] m = slots[0];
                    double[] v = slots[1];
                    m[i] += (1 - c[1]) * (gi - m[i]);
                    v[i] += (1 - c[2]) * (gi * gi - v[i]);
                    w[i] -= c[0] * m[i] / (Math.sqrt(v[i]) + c[3]);
                }
                case AMSGRAD -> {
                    double[] m = slots[0];
                    double[] v = slots[1];
                    double[] vHat = slots[2];
                    m[i] += (1 - c[1]) * (gi - m[i]);
                    v[i] += (1 - c[2]) * (gi * gi - v[i]);
                    vHat[i] = Math.max(vHat[i], v[i]);
                    w[i] -= c[0] * m[i] / (Math.sqrt(vHat[i]) + c[3]);
                }
                case ADAMAX -> {
                    double[] m = slots[0];
                    double[] u = slots[1];
                    m[i] += (1 - c[1]) * (gi - m[i]);
                    u[i] = Math.max(c[2] * u[i], Math.abs(gi));
                    w[i] -= c[0] * m[i] / (u[i] + c[3]);
                }
                case NADAM -> {
                    double[] m = slots[0];
                    double[] v = slots[1];
                    double lr = c[0];
                    m[i] += (1 - c[1]) * (gi - m[i]);
                    v[i] += (1 - c[2]) * (gi * gi - v[i]);
                    w[i] -= lr * (c[4] * m[i] + c[5] * gi) / (Math.sqrt(c[6] * v[i]) + c[3]);
                }
            }
        }
    }
}
