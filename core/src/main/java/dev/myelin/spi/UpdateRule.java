package dev.myelin.spi;

/**
 * Fused optimizer updates for {@link Backend#optimizerUpdate}: one kernel per parameter tensor
 * reads the gradient {@code g}, updates the parameter {@code w} and the rule's state tensors
 * ({@code slots}) in place. The host computes the step-dependent scalars (learning rate, bias
 * corrections) into {@code c[]}; the kernel applies the element-wise formula below.
 *
 * <p>Every rule first folds in the regularizers: {@code g = g + l1 sign(w) + 2 l2 w}
 * (sign(0) = 0), the gradient of Keras's penalty {@code l1 sum|w| + l2 sum w^2}, each term only where its
 * factor is non-zero (so an infinite weight without a penalty stays infinite, not NaN) and with
 * {@code sign(NaN) = NaN}; then clips {@code g} ({@link GradientClip}); then applies the decoupled weight
 * decay {@code w = w - w decay} (Keras 3's {@code weight_decay} times the learning rate; skipped when it is
 * 0, so an infinite weight stays infinite); then runs the rule's update with that {@code g} and {@code w}.
 * The formulas run in IEEE arithmetic: a NaN gradient (or parameter) makes the new parameter and every
 * slot computed from it NaN (the clips let NaN through).
 *
 * <pre>
 * rule          slots           c[]                              update (Keras 3)
 * SGD           -               lr                               w -= lr g
 * MOMENTUM      m               lr, mu                           m = mu m - lr g;  w += m
 * NESTEROV      m               lr, mu                           m = mu m - lr g;  w += mu m - lr g
 * RMSPROP       v, m, a         lr, rho, eps, mu, centered(0|1)  v = rho v + (1-rho) g^2
 *                                                                d = v + eps, or (centered) a = rho a + (1-rho) g; d = v - a^2 + eps
 *                                                                inc = lr g / sqrt(d)
 *                                                                mu &gt; 0: m = mu m + inc; w -= m,  else w -= inc
 * ADAGRAD       acc             lr, eps                          acc += g^2;  w -= lr g / sqrt(acc + eps)
 * ADADELTA      ag, ad          lr, rho, eps                     ag = rho ag + (1-rho) g^2
 *                                                                dv = -sqrt(ad + eps) g / sqrt(ag + eps)
 *                                                                ad = rho ad + (1-rho) dv^2;  w += lr dv
 * ADAM          m, v            alpha, b1, b2, eps               m += (1-b1)(g - m);  v += (1-b2)(g^2 - v)
 *                               alpha = lr sqrt(1-b2^t)/(1-b1^t)  w -= alpha m / (sqrt(v) + eps)
 * AMSGRAD       m, v, v_hat     alpha, b1, b2, eps               as ADAM, then v_hat = max(v_hat, v) (NaN wins)
 *                                                                w -= alpha m / (sqrt(v_hat) + eps)
 * ADAMAX        m, u            lr/(1-b1^t), b1, b2, eps         m += (1-b1)(g - m);  u = max(b2 u, |g|)
 *                                                                w -= c0 m / (u + eps)
 * NADAM         m, v            lr, b1, b2, eps, A, B, C         m += (1-b1)(g - m);  v += (1-b2)(g^2 - v)
 *                               A = u_{t+1} / (1 - prod_{t+1}),   w -= lr (A m + B g) / (sqrt(C v) + eps)
 *                               B = (1 - u_t) / (1 - prod_t),
 *                               C = 1 / (1 - b2^t)
 * </pre>
 */
public enum UpdateRule {
    /** Keras 3 SGD without momentum. */
    SGD(0, 1),
    /** Keras 3 SGD with {@code momentum > 0}. */
    MOMENTUM(1, 2),
    /** Keras 3 SGD with momentum and {@code nesterov=True}. */
    NESTEROV(1, 2),
    /** Keras 3 RMSprop (optionally centered, optionally with momentum). */
    RMSPROP(3, 5),
    /** Keras 3 Adagrad. */
    ADAGRAD(1, 2),
    /** Keras 3 Adadelta. */
    ADADELTA(2, 3),
    /** Keras 3 Adam. */
    ADAM(2, 4),
    /** Keras 3 Adamax. */
    ADAMAX(2, 4),
    /** Keras 3 Nadam. */
    NADAM(2, 7),
    /** Keras 3 Adam with {@code amsgrad=True}. */
    AMSGRAD(3, 4);

    private final int slots;
    private final int coefficients;

    UpdateRule(int slots, int coefficients) {
        this.slots = slots;
        this.coefficients = coefficients;
    }

    /**
     * Number of state tensors, each shaped like the parameter.
     *
     * @return the number of slots the rule keeps per parameter tensor (0 for SGD)
     */
    public int slots() {
        return slots;
    }

    /**
     * Length of the {@code c[]} array the rule reads.
     *
     * @return the number of host-computed coefficients
     */
    public int coefficients() {
        return coefficients;
    }
}
