package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A host copy of an optimizer's state, from {@link Model#optimizerState()}: the optimizer's Keras name,
 * its iteration count and learning rate, and every state slot of every trainable weight, named
 * {@code <weight>/<slot>} with Keras's slot names ({@code dense/kernel/momentum},
 * {@code dense/kernel/velocity} for Adam). {@link Model#setOptimizerState} puts it back, so training
 * resumes exactly where it stopped. An immutable, {@link Serializable} value.
 */
public final class OptimizerState implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The optimizer's Keras name. */
    private final String optimizer;
    /** The number of steps taken, &gt;= 0. */
    private final long iterations;
    /** The learning rate at the time of the copy. */
    private final float learningRate;
    /** The state slots, named {@code <weight>/<slot>}, in order. */
    private final NamedArrays slots;

    /**
     * A state of optimizer {@code optimizer} (its Keras name) after {@code iterations} steps; the slots are copied.
     *
     * @param optimizer the optimizer's Keras name ({@code adam}, {@code sgd}, ...); not null
     * @param iterations the number of steps taken (Keras's {@code optimizer.iterations}); &gt;= 0
     * @param learningRate the learning rate at the time of the copy
     * @param slots every state slot by name {@code <weight>/<slot>}, in order; not null, nor any name or matrix
     * @throws NullPointerException when {@code optimizer}, {@code slots}, or a name or matrix in it is null
     * @throws IllegalArgumentException when {@code iterations} is negative
     */
    public OptimizerState(String optimizer, long iterations, float learningRate, Map<String, FloatMatrix> slots) {
        this.optimizer = Objects.requireNonNull(optimizer, "OptimizerState: argument 'optimizer' is null");
        if (iterations < 0) {
            throw new IllegalArgumentException("OptimizerState: argument 'iterations' must be >= 0, got "
                    + iterations);
        }
        this.iterations = iterations;
        this.learningRate = learningRate;
        this.slots = NamedArrays.copyOf(slots, "OptimizerState");
    }

    /**
     * The optimizer's Keras name ({@code adam}, {@code sgd}, ...).
     *
     * @return the Keras name this state was taken from
     */
    public String optimizer() {
        return optimizer;
    }

    /**
     * The number of steps taken (Keras's {@code optimizer.iterations}).
     *
     * @return the number of steps taken, &gt;= 0
     */
    public long iterations() {
        return iterations;
    }

    /**
     * The learning rate at the time of the copy.
     *
     * @return the learning rate of the optimizer when the state was copied
     */
    public float learningRate() {
        return learningRate;
    }

    /**
     * The slot names, {@code <weight>/<slot>}, in order.
     *
     * @return an unmodifiable list of the slot names, one per slot, in the order of {@link #slots()}
     */
    public List<String> names() {
        return slots.nameList();
    }

    /**
     * A copy of every slot, by name, in order.
     *
     * @return a new map from each slot name to a copy of its values; changing it does not change this state
     */
    public LinkedHashMap<String, FloatMatrix> slots() {
        return slots.toMap();
    }

    NamedArrays arrays() {
        return slots;
    }

    @Override
    public String toString() {
        return "OptimizerState(" + optimizer + ", iterations=" + iterations + ", learning_rate=" + learningRate + ", "
                + slots.layout() + ")";
    }
}
