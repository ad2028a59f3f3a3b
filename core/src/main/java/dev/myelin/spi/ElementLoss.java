package dev.myelin.spi;

/**
 * Per-element losses {@code l(p, t)} of a prediction {@code p} and a target {@code t}, with their
 * derivative {@code dl/dp}, as Keras 3 defines them before its mean over the last axis
 * (the caller folds that mean and the batch mean into {@code scale}). {@code EPS = 1e-7}.
 *
 * <pre>
 * MSE                  (p - t)^2                                   2 (p - t)
 * MAE                  |p - t|                                     sign(p - t)
 * MAPE                 100 |t - p| / max(|t|, EPS)                 100 sign(p - t) / max(|t|, EPS)
 * MSLE                 (ln(max(p,EPS) + 1) - ln(max(t,EPS) + 1))^2  2 (lp - lt) / (p + 1), 0 where p &lt; EPS
 * HINGE                max(1 - t p, 0)         (t in {-1, 1})      -t where 1 - t p &gt; 0, else 0
 * SQUARED_HINGE        max(1 - t p, 0)^2                           -2 t max(1 - t p, 0)
 * HUBER (param=delta)  e = p - t: |e| &lt;= d ? e^2/2 : d|e| - d^2/2  |e| &lt;= d ? e : d sign(e)
 * BINARY_CROSSENTROPY  q = clip(p, EPS, 1-EPS): -(t ln q + (1-t) ln(1-q))   (q - t) / (q (1 - q)), 0 where clipped
 * CATEGORICAL_CROSSENTROPY  q = clip(p, EPS, 1-EPS): -t ln q                -t / q, 0 where clipped
 * LOG_COSH             e = p - t: ln cosh e = |e| + ln(1 + e^-2|e|) - ln 2     tanh e
 * POISSON              p - t ln(p + EPS)                           1 - t / (p + EPS)
 * KL_DIVERGENCE        u = clip(t, EPS, 1), q = clip(p, EPS, 1): u ln(u / q)   -u / q, 0 where p is clipped
 * BINARY_FOCAL_CROSSENTROPY (param = gamma)
 *                      q = clip(p, EPS, 1-EPS), b = -(t ln q + (1-t) ln(1-q)), m = 1 - (t p + (1-t)(1-p)):
 *                      m^gamma b                                   gamma m^(gamma-1) (1 - 2t) b + m^gamma db/dp
 *                                                                  (db/dp as BINARY_CROSSENTROPY's gradient)
 * BINARY_FOCAL_CROSSENTROPY_BALANCED (param = gamma, param2 = alpha)
 *                      w = t alpha + (1-t)(1-alpha): w times the above, value and gradient
 * </pre>
 *
 * <p>Each mirrors the function of Keras 3's {@code keras/src/losses/losses.py} of the same name
 * ({@code log_cosh}, {@code poisson}, {@code kl_divergence}, {@code binary_focal_crossentropy} with
 * {@code apply_class_balancing} false or true). The focal factor uses the unclipped {@code p}, as Keras
 * does.
 *
 * <p>A NaN prediction or target gives a NaN loss and a NaN gradient for that element, whatever the
 * formula's clips and branches would give (the clipping and its zero gradients are for numbers only).
 * Infinite values follow the formula in IEEE arithmetic: a clip bounds them like any number.
 */
public enum ElementLoss {
    /** {@code mean_squared_error}. */
    MSE,
    /** {@code mean_absolute_error}. */
    MAE,
    /** {@code mean_absolute_percentage_error}. */
    MAPE,
    /** {@code mean_squared_logarithmic_error}. */
    MSLE,
    /** {@code hinge}. */
    HINGE,
    /** {@code squared_hinge}. */
    SQUARED_HINGE,
    /** {@code huber}. */
    HUBER,
    /** {@code binary_crossentropy} on probabilities. */
    BINARY_CROSSENTROPY,
    /** The per-element term of {@code categorical_crossentropy} on probabilities, without the row renormalisation. */
    CATEGORICAL_CROSSENTROPY,
    /** {@code log_cosh}. */
    LOG_COSH,
    /** {@code poisson}. */
    POISSON,
    /** {@code kl_divergence}. */
    KL_DIVERGENCE,
    /** {@code binary_focal_crossentropy} with {@code apply_class_balancing=False}. */
    BINARY_FOCAL_CROSSENTROPY,
    /** {@code binary_focal_crossentropy} with {@code apply_class_balancing=True}. */
    BINARY_FOCAL_CROSSENTROPY_BALANCED;

    /** Keras's clipping epsilon for losses. */
    public static final float EPS = 1e-7f;
}
