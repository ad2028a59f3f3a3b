package dev.myelin.spi;

/**
 * Fused optimizer updates for {@link Backend#optimizerUpdate}: one kernel per parameter tensor
 * reads the gradient {@code g}, updates the parameter {@code w} and the rule's state tensors
 * ({@code slots}) in place. The host computes the step-dependent scalars (learning rate, bias
 * corrections) into {@code c[]}; the kernel applies the element-wise formula below.
 *
 * <p>Every rule first folds in the regularizers: {@code g = g + l1 sign(w) + 2 l2 w}
 * (sign(0) = 0), the gradient of Keras's penalty {@code l1 sum|w| + l2 sum w^2}.
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
 * ADAMAX        m, u            lr/(1-b1^t), b1, b2, eps         m += (1-b1)(g - m);  u = max(b2 u, |g|)
 *                                                                w -= c0 m / (u + eps)
 * NADAM         m, v            lr, b1, b2, eps, A, B, C         m += (1-b1)(g - m);  v += (1-b2)(g^2 - v)
 *                               A = u_{t+1} / (1 - prod_{t+1}),   w -= lr (A m + B g) / (sqrt(C v) + eps)
 *                               B = (1 - u_t) / (1 - prod_t),
 *                               C = 1 / (1 - b2^t)
 * </pre>
 */
public enum UpdateRule {
    /** Plain gradient descent. */
    SGD(0, 1),
    /** Gradient descent with momentum. */
    MOMENTUM(1, 2),
    /** Gradient descent with Nesterov momentum. */
    NESTEROV(1, 2),
    /** RMSprop, plain or centered, with momentum. */
    RMSPROP(3, 5),
    /** Adagrad. */
    ADAGRAD(1, 2),
    /** Adadelta. */
    ADADELTA(2, 3),
    /** Adam. */
    ADAM(2, 4),
    /** Adamax. */
    ADAMAX(2, 4),
    /** Nadam. */
    NADAM(2, 7);

    private final int slots;
    private final int coefficients;

    UpdateRule(int slots, int coefficients) {
        this.slots = slots;
        this.coefficients = coefficients;
    }

    /**
     * Number of state tensors, each shaped like the parameter.
     *
     * @return the slot count
     */
    public int slots() {
        return slots;
    }

    /**
     * Length of the {@code c[]} array the rule reads.
     *
     * @return the coefficient count
     */
    public int coefficients() {
        return coefficients;
    }
}
