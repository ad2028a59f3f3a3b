package dev.myelin.spi;

/**
 * Losses that couple the elements of a row, for {@link Backend#rowLoss}: each mirrors the function of
 * Keras 3's {@code keras/src/losses/losses.py} of the same name. {@code p} is a prediction row, {@code t}
 * its target row, {@code EPS = 1e-7}; the gradients are those of the row's loss.
 *
 * <pre>
 * CATEGORICAL_CROSSENTROPY  S = sum p, q_j = clip(p_j / S, EPS, 1 - EPS):  loss_j = -t_j ln q_j
 *                           grad_k = -t_k / p_k [q_k unclipped] + (sum_{j unclipped} t_j) / S
 * CATEGORICAL_HINGE         pos = sum t p, neg = max_j (1 - t_j) p_j:  loss = max(neg - pos + 1, 0) (in column 0;
 *                           the other columns 0)
 *                           grad_k = loss &gt; 0 ? (1 - t_k) [k = first argmax of neg] - t_k : 0
 * COSINE_SIMILARITY         n(v) = v / sqrt(max(sum v^2, EPS^2)):  loss_j = -n(t)_j n(p)_j, L = sum_j loss_j
 *                           grad_k = -(n(t)_k + L n(p)_k) / sqrt(sum p^2), or -n(t)_k / EPS where the norm is clamped
 * </pre>
 *
 * CATEGORICAL_CROSSENTROPY is Keras's {@code categorical_crossentropy} on probabilities
 * ({@code from_logits=False}): the renormalisation makes the loss of a row that does not sum to 1 that of
 * its normalised row, and the gradient of every row carries the {@code (sum t) / S} term.
 *
 * <p>NaN in a row makes that row's loss and its whole gradient NaN, as {@link Backend}'s rule says: the clip
 * applies to numbers only (a NaN share {@code q_j} is not clipped), a NaN target counts in the cross-entropy's
 * {@code sum t_j} even where its share is clipped, the hinge's max lets a NaN win and its other columns are
 * NaN with the loss. Infinities follow the formulas: an infinite hinge margin gives an infinite loss in
 * column 0 and 0 in the others.
 */
public enum RowLoss {
    /** {@code categorical_crossentropy} on probabilities, renormalised per row. */
    CATEGORICAL_CROSSENTROPY,
    /** {@code categorical_hinge}. */
    CATEGORICAL_HINGE,
    /** {@code cosine_similarity} along the last axis (the negative cosine). */
    COSINE_SIMILARITY
}
