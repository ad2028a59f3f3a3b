package dev.myelin.cpu;

import dev.myelin.spi.Activation;

/**
 * Scalar formulas of the activations added after the first eleven (Keras 3's hard_sigmoid, relu6, silu,
 * gelu, mish, hard_silu) and every activation's derivative from its input {@code x}. Computed in double
 * and rounded once, as {@link ScalarKernels} does for the transcendental activations.
 */
final class ActivationMath {

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double C = Activation.GELU_CUBIC;

    private ActivationMath() {
    }

    /** {@code f(x)} for the activations of this class (see {@link Activation}). */
    static float forward(Activation f, float xf) {
        double x = xf;
        return (float) switch (f) {
            case HARD_SIGMOID -> hardSigmoid(x);
            case RELU6 -> x < 0 ? 0 : x > 6 ? 6 : x;
            case SILU -> x * sigmoid(x);
            case GELU -> 0.5 * x * erfc(-x * SQRT_HALF);
            // 0.5 (1 + tanh u) is sigmoid(2u): no cancellation where tanh u is near -1.
            case GELU_APPROXIMATE -> x * sigmoid(2 * SQRT_2_OVER_PI * (x + C * x * x * x));
            case MISH -> x * Math.tanh(softplus(x));
            case HARD_SILU -> x * hardSigmoid(x);
            default -> throw new IllegalArgumentException("ActivationMath.forward: " + f + " is computed elsewhere");
        };
    }

    /**
     * {@code f'(x)} of every activation; NaN for a NaN {@code x}. The infinities take the limits of the
     * derivative (the formulas alone would give {@code inf * 0}).
     */
    static double derivative(Activation f, double alpha, double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        return switch (f) {
            case LINEAR -> 1;
            case STEP -> 0;
            case SIGMOID -> sigmoid(x) * sigmoid(-x);
            case TANH -> {
                double t = Math.tanh(x);
                yield 1 - t * t;
            }
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : alpha;
            case ELU -> x > 0 ? 1 : alpha * Math.exp(x);
            case SELU -> x > 0 ? Activation.SELU_SCALE : Activation.SELU_SCALE * Activation.SELU_ALPHA * Math.exp(x);
            case SOFTPLUS -> sigmoid(x);
            case SOFTSIGN -> 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x)));
            case EXPONENTIAL -> Math.exp(x);
            case HARD_SIGMOID -> x > -3 && x < 3 ? 1.0 / 6 : 0;
            case RELU6 -> x > 0 && x < 6 ? 1 : 0;
            case SILU -> Double.isInfinite(x) ? (x > 0 ? 1 : 0) : sigmoid(x) * (1 + x * sigmoid(-x));
            case GELU -> Double.isInfinite(x) ? (x > 0 ? 1 : 0)
                    : 0.5 * erfc(-x * SQRT_HALF) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case GELU_APPROXIMATE -> {
                if (Math.abs(x) > 10) {
                    // sech^2 u < 1e-37 there: the derivative is 0.5 (1 + tanh u), 0 or 1.
                    yield x > 0 ? 1 : 0;
                }
                double u = SQRT_2_OVER_PI * (x + C * x * x * x);
                double s = sigmoid(2 * u);
                // 0.5 (1 + tanh u) = s and 0.5 (1 - tanh^2 u) = 2 s (1 - s).
                yield s + x * 2 * s * sigmoid(-2 * u) * SQRT_2_OVER_PI * (1 + 3 * C * x * x);
            }
            case MISH -> {
                if (Double.isInfinite(x)) {
                    yield x > 0 ? 1 : 0;
                }
                double t = Math.tanh(softplus(x));
                yield t + x * (1 - t * t) * sigmoid(x);
            }
            case HARD_SILU -> x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6;
        };
    }

    /** Keras 3's hard_sigmoid, {@code relu6(x + 3) / 6}, as its backends compute it: {@code clip(x / 6 + 0.5, 0, 1)}. */
    static double hardSigmoid(double x) {
        double h = x / 6 + 0.5;
        return h <= 0 ? 0 : h >= 1 ? 1 : h;
    }

    static double sigmoid(double x) {
        double e = Math.exp(-Math.abs(x));
        return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * The complementary error function, by the Chebyshev fit of Press et al. (Numerical Recipes,
     * {@code erfcc}): relative error below 1.2e-7 for every x, which a float32 result (2^-24 = 6e-8)
     * nearly matches; so {@code gelu} and its derivative are within 2e-7 relative of the exact values.
     * Java has no erf; erfc keeps the relative accuracy of {@code gelu} at large negative x.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
