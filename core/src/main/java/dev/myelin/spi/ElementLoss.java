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
 * </pre>
 */
public enum ElementLoss {
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    MAE,
    /** Mean absolute percentage error. */
    MAPE,
    /** Mean squared logarithmic error. */
    MSLE,
    /** Hinge loss, targets in {-1, 1}. */
    HINGE,
    /** Squared hinge loss, targets in {-1, 1}. */
    SQUARED_HINGE,
    /** Huber loss with {@code param} as delta. */
    HUBER,
    /** Binary cross-entropy of probabilities. */
    BINARY_CROSSENTROPY,
    /** Categorical cross-entropy of probabilities (one-hot targets). */
    CATEGORICAL_CROSSENTROPY;

    /** Keras's clipping epsilon for losses. */
    public static final float EPS = 1e-7f;
}
