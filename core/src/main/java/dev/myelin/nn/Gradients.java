package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gradients of one batch, copied to the host by {@link Model#computeGradients}: for every trainable
 * weight, in the order and under the names of {@link Model#namedWeights()} ({@code dense/kernel},
 * {@code dense/bias}, ...), the gradient of the batch-mean loss (without the weight penalties, whose
 * gradients {@link Model#applyGradients} adds in the optimizer step, as {@code trainOnBatch} does); the
 * batch's loss (the mean over its rows, weight penalties included, as {@code trainOnBatch} returns it);
 * and the number of rows it came from.
 *
 * <p>An immutable value: the constructor and the getters copy. It is {@link Serializable}.
 *
 * <p>Combining the parts of a batch split over workers: the gradient of the whole batch is the mean of
 * the parts' gradients weighted by their rows, which {@link #weightedMean} computes. Floating-point sums
 * depend on their order: {@link #plus} adds element by element ({@code a[i] + b[i]}, one float32
 * rounding), {@link #scaled} multiplies each element by the float factor, and {@link #weightedMean} starts
 * from the first part and adds the others in list order. The result agrees with the whole batch's
 * gradient to float32 rounding, not bit for bit (the batch's own kernels sum its rows in another order);
 * combining the parts in a fixed order (e.g. by partition index) makes a distributed run reproducible.
 */
public final class Gradients implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The gradients' names, shapes and values, in weight order; never shared with callers. */
    private final NamedArrays arrays;
    /** The batch's mean loss, weight penalties included. */
    private final double loss;
    /** The number of rows the gradients were computed from, {@code >= 1}. */
    private final long rows;

    /**
     * Gradients by weight name (copied, in the map's order), with the batch's mean loss and its rows.
     *
     * @param gradients the gradient of each trainable weight by name ({@code dense/kernel}, ...), each shaped
     *        like its weight; not null, no null names or values; copied
     * @param loss the batch's mean loss, weight penalties included
     * @param rows the number of rows (samples) of the batch, {@code >= 1}
     * @throws NullPointerException if {@code gradients}, a name or a matrix is null
     * @throws IllegalArgumentException if {@code rows < 1}
     */
    public Gradients(Map<String, FloatMatrix> gradients, double loss, long rows) {
        this(NamedArrays.copyOf(gradients, "Gradients"), loss, rows);
        if (rows < 1) {
            throw new IllegalArgumentException("Gradients: argument 'rows' must be >= 1, got " + rows);
        }
    }

    private Gradients(NamedArrays arrays, double loss, long rows) {
        this.arrays = arrays;
        this.loss = loss;
        this.rows = rows;
    }

    /**
     * The weight names, in order.
     *
     * @return the names, e.g. {@code dense/kernel}, in the order of {@link Model#namedWeights()}
     */
    public List<String> names() {
        return arrays.nameList();
    }

    /**
     * The number of weights.
     *
     * @return how many gradient matrices this holds
     */
    public int size() {
        return arrays.size();
    }

    /**
     * A copy of the gradient of weight {@code name}.
     *
     * @param name a weight name from {@link #names()}, e.g. {@code dense/kernel}
     * @return a fresh copy of the gradient, shaped like the weight
     * @throws IllegalArgumentException if no gradient has that name
     */
    public FloatMatrix get(String name) {
        int i = arrays.index(name);
        if (i < 0) {
            throw new IllegalArgumentException("Gradients.get: no gradient named '" + name + "'; have "
                    + arrays.nameList());
        }
        return arrays.matrix(i);
    }

    /**
     * A copy of every gradient, by name, in order.
     *
     * @return a new, mutable map from weight name to a fresh copy of its gradient, in weight order
     */
    public LinkedHashMap<String, FloatMatrix> toMap() {
        return arrays.toMap();
    }

    /**
     * The batch's mean loss, weight penalties included (for a combination: the combined loss).
     *
     * @return the loss as given to the constructor, or as {@link #scaled}, {@link #plus} or {@link #weightedMean}
     *         combined it
     */
    public double loss() {
        return loss;
    }

    /**
     * The number of rows the gradients were computed from.
     *
     * @return the batch's row count, {@code >= 1}; summed by {@link #plus} and {@link #weightedMean}
     */
    public long rows() {
        return rows;
    }

    /**
     * Every gradient and the loss times {@code factor}; the rows stay.
     *
     * @param factor the multiplier of every element and of the loss
     * @return new gradients; this one is unchanged
     */
    public Gradients scaled(float factor) {
        NamedArrays a = arrays;
        return new Gradients(a.map((i, j) -> a.values[i][j] * factor), loss * factor, rows);
    }

    /**
     * The element-wise sum with {@code other} (same names, order and shapes); losses and rows add.
     *
     * @param other gradients with the same names, in the same order, of the same shapes; not null
     * @return new gradients holding {@code this[i] + other[i]}; neither operand changes
     * @throws NullPointerException if {@code other} is null
     * @throws IllegalArgumentException if the names, order or shapes differ
     */
    public Gradients plus(Gradients other) {
        Objects.requireNonNull(other, "Gradients.plus: argument 'other' is null");
        arrays.checkSameLayout(other.arrays, "Gradients.plus");
        NamedArrays a = arrays;
        NamedArrays b = other.arrays;
        return new Gradients(a.map((i, j) -> a.values[i][j] + b.values[i][j]), loss + other.loss, rows + other.rows);
    }

    /**
     * The mean of {@code parts} weighted by their rows: {@code sum_k parts[k].scaled(rows_k / total)},
     * accumulated in list order; its loss is the row-weighted mean loss and its rows the total.
     *
     * @param parts the gradients of the parts of one batch, all with the same names, order and shapes; not
     *        null or empty, no null element
     * @return the combined gradients, as for the whole batch up to float32 rounding
     * @throws NullPointerException if {@code parts} or an element is null
     * @throws IllegalArgumentException if {@code parts} is empty or the parts' layouts differ
     */
    public static Gradients weightedMean(List<Gradients> parts) {
        Objects.requireNonNull(parts, "Gradients.weightedMean: argument 'parts' is null");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Gradients.weightedMean: argument 'parts' is empty");
        }
        long total = 0;
        for (Gradients g : parts) {
            total += Objects.requireNonNull(g, "Gradients.weightedMean: argument 'parts' holds null").rows;
        }
        Gradients sum = null;
        for (Gradients g : parts) {
            Gradients w = g.scaled((float) ((double) g.rows / total));
            sum = sum == null ? w : sum.plus(w);
        }
        return new Gradients(sum.arrays, sum.loss, total);
    }

    /** The storage, for the model's upload (no copy). */
    NamedArrays arrays() {
        return arrays;
    }

    @Override
    public String toString() {
        return "Gradients(loss=" + loss + ", rows=" + rows + ", " + arrays.layout() + ")";
    }
}
