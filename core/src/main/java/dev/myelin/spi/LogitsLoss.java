package dev.myelin.spi;

/**
 * The fused output layer + cross-entropy of {@link Backend#crossEntropyWithLogits}: the
 * probabilities, the per-element loss and the gradient with respect to the logits {@code z}, in one
 * numerically stable kernel.
 *
 * <pre>
 * SOFTMAX  p = softmax(z) per row (max-subtracted)   loss = -t ln q        grad = scale (p - t)
 * SIGMOID  p = 1 / (1 + e^-z)                         loss = -(t ln q + (1-t) ln(1-q))   grad = scale (p - t)
 * </pre>
 *
 * With {@code clip} (Keras's {@code from_logits=False}: the model's output layer applies the
 * activation) {@code q = clip(p, 1e-7, 1 - 1e-7)}. Without it (Keras's {@code from_logits=True})
 * the log is exact: {@code ln q = z - max - ln(sum e^(z - max))} for SOFTMAX and
 * {@code -(t ln p + (1-t) ln(1-p)) = max(z, 0) - z t + ln(1 + e^-|z|)} for SIGMOID.
 * The loss is multiplied by {@code scale} too. SOFTMAX's gradient assumes each target row sums to 1.
 *
 * <p>Non-finite values (see {@link Backend}): the formulas above in IEEE arithmetic, the clip applying to
 * numbers only. A NaN logit makes its probability, loss and gradient NaN (for SOFTMAX the whole row's,
 * as does a +Inf logit, through {@code Inf - Inf}); a NaN target makes that element's loss and gradient
 * NaN. An infinite logit without {@code clip} follows the exact formula as written, so SIGMOID's
 * {@code max(z, 0) - z t} is NaN there ({@code Inf - Inf} or {@code 0 * Inf}), as Keras computes it.
 */
public enum LogitsLoss {
    /** Softmax over each row, then categorical cross-entropy. */
    SOFTMAX,
    /** Sigmoid per element, then binary cross-entropy. */
    SIGMOID
}
