package dev.myelin.contract;

import dev.myelin.spi.Activation;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.RowLoss;

/**
 * Float64 references, transcribed from Keras 3's formulas ({@code keras/src/activations/activations.py},
 * {@code keras/src/backend/numpy/nn.py}, {@code keras/src/losses/losses.py}), for the activations and losses
 * {@link ReferenceMath} delegates here: Keras 3's hard_sigmoid, relu6, silu, gelu (both forms), mish,
 * hard_silu, every activation's derivative from its input, the log_cosh, poisson, kl_divergence and
 * binary focal losses, and the row losses. Written independently of the backends' code (erf from its
 * series and continued fraction rather than a fitted polynomial).
 */
public final class KerasReference {

    private static final double EPS = ElementLoss.EPS;
    private static final double C = Activation.GELU_CUBIC;
    private static final double K = Math.sqrt(2 / Math.PI);

    private KerasReference() {
    }

    // ---------------------------------------------------------------- activations

    /** Keras's forward of the activations added with Keras 3. */
    public static double activation(Activation f, double x) {
        return switch (f) {
            case HARD_SIGMOID -> hardSigmoid(x);
            case RELU6 -> Math.min(Math.max(x, 0), 6);
            case SILU -> x * sigmoid(x);
            case GELU -> 0.5 * x * erfc(-x / Math.sqrt(2));
            case GELU_APPROXIMATE -> {
                double u = K * (x + C * x * x * x);
                // 0.5 (1 + tanh u) without its cancellation: 1 / (1 + e^-2u).
                yield x / (1 + Math.exp(-2 * u));
            }
            case MISH -> x * Math.tanh(Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
            case HARD_SILU -> x * hardSigmoid(x);
            default -> throw new IllegalArgumentException(f + " is in ReferenceMath");
        };
    }

    /** {@code f'(x)} for every activation, by differentiating Keras's formula; NaN for NaN. */
    public static double derivativeFromInput(Activation f, double alpha, double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Double.isInfinite(x)) {
            return switch (f) {
                case LINEAR -> 1;
                case LEAKY_RELU -> x > 0 ? 1 : alpha;
                case EXPONENTIAL -> x > 0 ? x : 0;
                case SILU, GELU, GELU_APPROXIMATE, MISH, HARD_SILU, RELU -> x > 0 ? 1 : 0;
                case SELU -> x > 0 ? Activation.SELU_SCALE : 0;
                case ELU -> x > 0 ? 1 : 0;
                case SOFTPLUS, SIGMOID, TANH, STEP, SOFTSIGN, HARD_SIGMOID, RELU6 -> x > 0 && f == Activation.SOFTPLUS ? 1 : 0;
            };
        }
        double s = sigmoid(x);
        return switch (f) {
            case LINEAR -> 1;
            case STEP -> 0;
            case SIGMOID -> s * (1 - s);
            case TANH -> 1 / (Math.cosh(x) * Math.cosh(x));
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : alpha;
            case ELU -> x > 0 ? 1 : alpha * Math.exp(x);
            case SELU -> Activation.SELU_SCALE * (x > 0 ? 1 : Activation.SELU_ALPHA * Math.exp(x));
            case SOFTPLUS -> s;
            case SOFTSIGN -> 1 / Math.pow(1 + Math.abs(x), 2);
            case EXPONENTIAL -> Math.exp(x);
            case HARD_SIGMOID -> x > -3 && x < 3 ? 1.0 / 6 : 0;
            case RELU6 -> x > 0 && x < 6 ? 1 : 0;
            case SILU -> s + x * s * (1 - s);
            case GELU -> 0.5 * erfc(-x / Math.sqrt(2)) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case GELU_APPROXIMATE -> {
                double u = K * (x + C * x * x * x);
                double sech = 1 / Math.cosh(u);
                yield Math.abs(u) > 300 ? (x > 0 ? 1 : 0)
                        : 1 / (1 + Math.exp(-2 * u)) + 0.5 * x * sech * sech * K * (1 + 3 * C * x * x);
            }
            case MISH -> {
                double sp = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
                double sech = 1 / Math.cosh(sp);
                yield Math.tanh(sp) + x * sech * sech * s;
            }
            case HARD_SILU -> x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6;
        };
    }

    /** The derivative from the output for the Keras 3 activations derivable from it (hard_sigmoid, relu6). */
    public static double derivativeFromOutput(Activation f, double y) {
        return switch (f) {
            case HARD_SIGMOID -> Double.isNaN(y) ? y : y > 0 && y < 1 ? 1.0 / 6 : 0;
            case RELU6 -> Double.isNaN(y) ? y : y > 0 && y < 6 ? 1 : 0;
            default -> throw new IllegalArgumentException(f + " is not derivable from its output");
        };
    }

    private static double hardSigmoid(double x) {
        return Math.min(Math.max(x / 6 + 0.5, 0), 1);
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** erfc to about 1e-14 relative: Maclaurin series of erf below 2.5, the continued fraction of erfc above. */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double z = Math.abs(x);
        double r;
        if (z < 2.5) {
            double term = z;
            double sum = z;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
                term *= -z * z / n;
                sum += term / (2 * n + 1);
            }
            double erf = 2 / Math.sqrt(Math.PI) * sum;
            r = 1 - erf;
        } else {
            // erfc z = e^-z^2 / sqrt(pi) * 1 / (z + (1/2) / (z + 1 / (z + (3/2) / (z + 2 / (z + ...))))).
            double f = z;
            for (int n = 120; n >= 1; n--) {
                f = z + (n / 2.0) / f;
            }
            r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
        }
        return x >= 0 ? r : 2 - r;
    }

    // ---------------------------------------------------------------- element losses

    /** Keras's per-element value of the losses added with Keras 3 (before the mean over the last axis). */
    public static double elementLoss(ElementLoss kind, double gamma, double alpha, double p, double t) {
        return switch (kind) {
            // Keras's x + softplus(-2x) - log(2), with softplus written not to overflow.
            case LOG_COSH -> {
                // ElementLoss's |e| + ln(1 + e^-2|e|) - ln 2: the same function as Keras's x + softplus(-2x) - ln 2,
                // but +Inf (not Inf - Inf) at e = -Inf, as every backend computes it.
                double a = Math.abs(p - t);
                yield a + Math.log1p(Math.exp(-2 * a)) - Math.log(2);
            }
            case POISSON -> p - t * Math.log(p + (float) EPS);
            case KL_DIVERGENCE -> {
                double u = Math.min(Math.max(t, EPS), 1);
                yield u * Math.log(u / Math.min(Math.max(p, EPS), 1));
            }
            case BINARY_FOCAL_CROSSENTROPY, BINARY_FOCAL_CROSSENTROPY_BALANCED -> focal(kind, gamma, alpha, p, t);
            default -> throw new IllegalArgumentException(kind + " is in ReferenceMath");
        };
    }

    /** {@code dl/dp} of {@link #elementLoss}: analytic where Keras's formula is smooth, 0 where p is clipped. */
    public static double elementLossGradient(ElementLoss kind, double gamma, double alpha, double p, double t) {
        return switch (kind) {
            case LOG_COSH -> Math.tanh(p - t);
            case POISSON -> 1 - t / (p + (float) EPS);
            case KL_DIVERGENCE -> {
                double u = Math.min(Math.max(t, EPS), 1);
                yield p < (float) EPS || p > 1 ? 0 * u : -u / p;
            }
            case BINARY_FOCAL_CROSSENTROPY, BINARY_FOCAL_CROSSENTROPY_BALANCED -> {
                // Product rule on w m^gamma b(q): m = 1 - (t p + (1 - t)(1 - p)) uses the unclipped p.
                double q = clipProbability(p);
                double b = -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
                boolean clipped = p < (float) EPS || p > ReferenceMath.ONE_MINUS_EPS;
                double db = Double.isNaN(p) ? p : clipped ? 0 : (q - t) / (q * (1 - q));
                double m = 1 - (t * p + (1 - t) * (1 - p));
                double dm = 1 - 2 * t;
                double w = kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY ? 1 : t * alpha + (1 - t) * (1 - alpha);
                double dfocal = gamma == 0 ? 0 : gamma * Math.pow(m, gamma - 1) * dm;
                yield w * (dfocal * b + Math.pow(m, gamma) * db);
            }
            default -> throw new IllegalArgumentException(kind + " is in ReferenceMath");
        };
    }

    private static double focal(ElementLoss kind, double gamma, double alpha, double p, double t) {
        double q = clipProbability(p);
        double bce = -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
        double pt = t * p + (1 - t) * (1 - p);
        double l = Math.pow(1 - pt, gamma) * bce;
        return kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY ? l : (t * alpha + (1 - t) * (1 - alpha)) * l;
    }

    /** Keras's clip to [EPS, 1 - EPS] with float32 bounds (1 - EPS rounded to float, as float32 Keras has it). */
    private static double clipProbability(double p) {
        return Math.min(Math.max(p, ReferenceMath.EPS), ReferenceMath.ONE_MINUS_EPS);
    }

    // ---------------------------------------------------------------- row losses

    /** Whether a share {@code p / sum(p)} is clipped: a number outside the float32 bounds (never NaN). */
    private static boolean clippedShare(double q) {
        return q < (float) EPS || q > ReferenceMath.ONE_MINUS_EPS;
    }

    /** Per-element shares of each row's loss and the gradient, times {@code scale}, for {@code [rows x cols]}. */
    public static ReferenceMath.LossAndGradient rowLoss(RowLoss kind, double scale, double[] p, double[] t, int rows,
            int cols) {
        double[] loss = new double[p.length];
        double[] grad = new double[p.length];
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            switch (kind) {
                case CATEGORICAL_CROSSENTROPY -> {
                    double sum = 0;
                    for (int j = 0; j < cols; j++) {
                        sum += p[o + j];
                    }
                    // Clipping applies to numbers: a NaN share is not clipped, and a NaN target counts in the
                    // sum wherever it stands, so that it makes the row's whole gradient NaN.
                    double unclipped = 0;
                    for (int j = 0; j < cols; j++) {
                        double q = p[o + j] / sum;
                        loss[o + j] = -t[o + j] * Math.log(clipProbability(q));
                        if (!clippedShare(q) || Double.isNaN(t[o + j])) {
                            unclipped += t[o + j];
                        }
                    }
                    for (int j = 0; j < cols; j++) {
                        double q = p[o + j] / sum;
                        grad[o + j] = (clippedShare(q) ? 0 : -t[o + j] / p[o + j]) + unclipped / sum;
                    }
                }
                case CATEGORICAL_HINGE -> {
                    double pos = 0;
                    double neg = Double.NEGATIVE_INFINITY;
                    int at = 0;
                    for (int j = 0; j < cols; j++) {
                        pos += t[o + j] * p[o + j];
                        double v = (1 - t[o + j]) * p[o + j];
                        if (v > neg || Double.isNaN(v) && !Double.isNaN(neg)) {   // NaN wins the max
                            neg = v;
                            at = j;
                        }
                    }
                    double margin = neg - pos + 1;
                    double l = Math.max(margin, 0);
                    // The row's loss in its first column, 0 in the others; NaN anywhere makes the whole row NaN.
                    for (int j = 0; j < cols; j++) {
                        loss[o + j] = j == 0 || Double.isNaN(l) ? l : 0;
                        grad[o + j] = Double.isNaN(margin) ? margin
                                : margin > 0 ? (j == at ? 1 - t[o + j] : 0) - t[o + j] : 0;
                    }
                }
                case COSINE_SIMILARITY -> {
                    double pp = 0;
                    double tt = 0;
                    for (int j = 0; j < cols; j++) {
                        pp += p[o + j] * p[o + j];
                        tt += t[o + j] * t[o + j];
                    }
                    double eps2 = (double) (float) EPS * (float) EPS;
                    double np = 1 / Math.sqrt(Math.max(pp, eps2));
                    double nt = 1 / Math.sqrt(Math.max(tt, eps2));
                    double l = 0;
                    for (int j = 0; j < cols; j++) {
                        loss[o + j] = -(t[o + j] * nt) * (p[o + j] * np);
                        l += loss[o + j];
                    }
                    for (int j = 0; j < cols; j++) {
                        grad[o + j] = pp < eps2 ? -t[o + j] * nt * np : -np * (t[o + j] * nt + l * p[o + j] * np);
                    }
                }
            }
        }
        for (int i = 0; i < p.length; i++) {
            loss[i] *= scale;
            grad[i] *= scale;
        }
        return new ReferenceMath.LossAndGradient(loss, grad);
    }
}
