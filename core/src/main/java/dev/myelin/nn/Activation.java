package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.spi.Backend;

/** Keras {@code Activation(name)}: applies an activation function as its own layer. */
public final class Activation extends Layer {

    private final ActivationFunction function;
    private Backend backend;
    private int width;

    /**
     * A layer applying the activation named {@code activation} (a Keras name such as {@code "relu"}).
     *
     * @param activation the Keras name
     */
    public Activation(String activation) {
        this(ActivationFunction.of(activation));
    }

    /**
     * A layer applying {@code function}.
     *
     * @param function the activation function
     */
    public Activation(ActivationFunction function) {
        super(null);
        this.function = java.util.Objects.requireNonNull(function, "Activation: argument 'activation' is null");
    }

    /**
     * The function this layer applies.
     *
     * @return the activation function
     */
    public ActivationFunction function() {
        return function;
    }

    @Override
    public String type() {
        return "Activation";
    }

    @Override
    String namePrefix() {
        return "activation";
    }

    @Override
    int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    int build(Backend b, int inputSize, long seed) {
        this.backend = b;
        this.width = inputSize;
        return inputSize;
    }

    @Override
    ActivationFunction outputActivation() {
        return function.isLinear() ? null : function;
    }

    @Override
    Frame frame(int batch) {
        boolean softmax = function.isSoftmax();
        return new ActivationFrame(backend.tensor(batch, width), softmax ? backend.tensor(batch, width) : null,
                softmax ? backend.tensor(batch, 1) : null);
    }

    @Override
    Tensor forward(Frame frame, Tensor x, boolean training, long step, boolean skipActivation) {
        if (skipActivation || function.isLinear()) {
            return x;
        }
        ActivationFrame f = (ActivationFrame) frame;
        function.forward(x.backend(), x, f.y);
        return f.y;
    }

    @Override
    Tensor backward(Frame frame, Tensor dy, boolean needInputGradient, boolean skipActivation) {
        if (!needInputGradient) {
            return null;
        }
        if (!skipActivation) {
            ActivationFrame f = (ActivationFrame) frame;
            function.backwardInPlace(dy.backend(), f.y, dy, f.tmp, f.rowSum);
        }
        return dy;
    }

    private static final class ActivationFrame extends Frame {
        final Tensor y;
        final Tensor tmp;
        final Tensor rowSum;

        ActivationFrame(Tensor y, Tensor tmp, Tensor rowSum) {
            this.y = y;
            this.tmp = tmp;
            this.rowSum = rowSum;
        }

        @Override
        void release() {
            close(y, tmp, rowSum);
        }
    }

    @Override
    public String toString() {
        return "Activation(" + function + ")";
    }
}
