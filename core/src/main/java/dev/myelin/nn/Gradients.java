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

    private final NamedArrays arrays;
    private final double loss;
    private final long rows;

    /** Gradients by weight name (copied, in the map's order), with the batch's mean loss and its rows. */
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

    /** The weight names, in order. */
    public List<String> names() {
        return arrays.nameList();
    }

    /** The number of weights. */
    public int size() {
        return arrays.size();
    }

    /** A copy of the gradient of weight {@code name}. */
    public FloatMatrix get(String name) {
        int i = arrays.index(name);
        if (i < 0) {
            throw new IllegalArgumentException("Gradients.get: no gradient named '" + name + "'; have "
                    + arrays.nameList());
        }
        return arrays.matrix(i);
    }

    /** A copy of every gradient, by name, in order. */
    public LinkedHashMap<String, FloatMatrix> toMap() {
        return arrays.toMap();
    }

    /** The batch's mean loss, weight penalties included (for a combination: the combined loss). */
    public double loss() {
        return loss;
    }

    /** The number of rows the gradients were computed from. */
    public long rows() {
        return rows;
    }

    /** Every gradient and the loss times {@code factor}; the rows stay. */
    public Gradients scaled(float factor) {
        NamedArrays a = arrays;
        return new Gradients(a.map((i, j) -> a.values[i][j] * factor), loss * factor, rows);
    }

    /** The element-wise sum with {@code other} (same names, order and shapes); losses and rows add. */
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
