package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.spi.Backend;
import java.util.List;

/**
 * A layer of a {@link Sequential} model: {@link Dense}, {@link Dropout} or {@link Activation}. A layer
 * is built once its input width is known (its parameters are created then) and keeps one {@link Frame}
 * of activation buffers per batch size, which the model allocates once and reuses every step.
 */
public abstract sealed class Layer permits Dense, Dropout, Activation {

    private String name;
    /** Set when a model builds the layer: a layer belongs to one model. */
    boolean owned;

    /**
     * A layer named {@code name}.
     *
     * @param name the name, or null for one the model assigns
     */
    protected Layer(String name) {
        this.name = name;
    }

    /**
     * The layer's name: given, or Keras-style {@code dense}, {@code dense_1}, ... assigned by the model.
     *
     * @return the name, or null before the model assigns one
     */
    public final String name() {
        return name;
    }

    final void assignName(String n) {
        if (name == null) {
            name = n;
        }
    }

    /**
     * The Keras class name, e.g. {@code Dense}.
     *
     * @return the class name
     */
    public abstract String type();

    /** The prefix of automatic names, e.g. {@code dense}. */
    abstract String namePrefix();

    /** Creates parameters for {@code inputSize} inputs on {@code backend}; returns the output width. */
    abstract int build(Backend backend, int inputSize, long seed);

    /** The output width for {@code inputSize} inputs (valid before build). */
    abstract int outputSize(int inputSize);

    /** Trainable parameters, in Keras order (kernel before bias). Empty before build. */
    List<Parameter> parameters() {
        return List.of();
    }

    /** The activation this layer applies last, which a loss may fuse with; null when it applies none. */
    ActivationFunction outputActivation() {
        return null;
    }

    /** Allocates the buffers for batches of {@code batch} rows. */
    abstract Frame frame(int batch);

    /**
     * Forward pass of {@code x} ({@code [batch x inputs]}); returns the output, a tensor of the frame or
     * {@code x} itself. {@code skipActivation} leaves out {@link #outputActivation()} (a fused loss applies it);
     * {@code step} keys random masks.
     */
    abstract Tensor forward(Frame f, Tensor x, boolean training, long step, boolean skipActivation);

    /**
     * Backward pass: {@code dy} is the gradient of the loss with respect to this layer's output and may be
     * overwritten. Writes parameter gradients; returns the gradient with respect to the input, or null when
     * {@code needInputGradient} is false.
     */
    abstract Tensor backward(Frame f, Tensor dy, boolean needInputGradient, boolean skipActivation);

    /** Frees the parameters. */
    void release() {
        for (Parameter p : parameters()) {
            p.release();
        }
    }

    /** Per-batch-size buffers of one layer. */
    abstract static class Frame {
        abstract void release();
    }

    static void close(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null) {
                t.close();
            }
        }
    }
}
