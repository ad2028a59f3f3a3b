package dev.myelin.contract;

import dev.myelin.spi.ElementLoss;

/**
 * The size of the terms a float32 kernel adds up for the Keras 3 element losses, against which the
 * conformance suite measures their error where the terms cancel: poisson's {@code p - t ln(p + EPS)},
 * log_cosh's {@code |e| + ln(1 + e^-2|e|) - ln 2}, kl_divergence's {@code ln u - ln q}, and the focal
 * factor's {@code m = t (1 - p) + (1 - t) p}, which cancels for a clipped p outside [0, 1] and is then
 * raised to {@code gamma - 1}.
 */
final class KerasLossTerms {

    private KerasLossTerms() {
    }

    /** {loss terms, gradient terms} at one element. */
    static double[] of(ElementLoss kind, double p, double t) {
        double eps = ReferenceMath.EPS;
        return switch (kind) {
            case POISSON -> new double[] {Math.abs(p) + Math.abs(t * Math.log(p + eps)), 1 + Math.abs(t / (p + eps))};
            case LOG_COSH -> new double[] {Math.abs(p - t) + 1, 1};
            case KL_DIVERGENCE -> {
                double u = Math.min(Math.max(t, eps), 1);
                double q = Math.min(Math.max(p, eps), 1);
                yield new double[] {u * (Math.abs(Math.log(u)) + Math.abs(Math.log(q))), u / q};
            }
            case BINARY_FOCAL_CROSSENTROPY, BINARY_FOCAL_CROSSENTROPY_BALANCED -> {
                double q = Math.min(Math.max(p, eps), ReferenceMath.ONE_MINUS_EPS);
                double m = t * (1 - p) + (1 - t) * p;
                double amplification = (Math.abs(t * (1 - p)) + Math.abs((1 - t) * p)) / Math.abs(m);
                double bce = Math.abs(t * Math.log(q)) + Math.abs((1 - t) * Math.log1p(-q));
                // (q - t) / (q (1 - q)) as binary cross-entropy's gradient, and gamma m^(gamma - 1) b.
                double dbce = (Math.abs(q) + Math.abs(t)) / (q * (1 - q));
                yield new double[] {bce * amplification, (dbce + 2 * bce / Math.abs(m)) * amplification};
            }
            default -> new double[] {0, 0};
        };
    }
}
