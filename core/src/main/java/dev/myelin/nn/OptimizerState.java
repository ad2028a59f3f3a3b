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

    private final String optimizer;
    private final long iterations;
    private final float learningRate;
    private final NamedArrays slots;

    /** A state of optimizer {@code optimizer} (its Keras name) after {@code iterations} steps; the slots are copied. */
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

    /** The optimizer's Keras name ({@code adam}, {@code sgd}, ...). */
    public String optimizer() {
        return optimizer;
    }

    /** The number of steps taken (Keras's {@code optimizer.iterations}). */
    public long iterations() {
        return iterations;
    }

    /** The learning rate at the time of the copy. */
    public float learningRate() {
        return learningRate;
    }

    /** The slot names, {@code <weight>/<slot>}, in order. */
    public List<String> names() {
        return slots.nameList();
    }

    /** A copy of every slot, by name, in order. */
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
