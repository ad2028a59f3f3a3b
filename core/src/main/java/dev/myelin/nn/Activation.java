package dev.myelin.nn;

import dev.myelin.spi.Tensor;
import java.util.Map;
import java.util.Objects;

/** Keras {@code Activation(name)}: applies an activation function as its own layer. */
public final class Activation extends Layer {

    private final ActivationFunction function;

    /**
     * The activation of Keras name {@code activation} ({@code "relu"}, {@code "softmax"}, ...).
     *
     * @param activation the Keras name of the activation, as {@link ActivationFunction#of(String)} reads it
     */
    public Activation(String activation) {
        this(ActivationFunction.of(activation));
    }

    /**
     * The activation {@code function}.
     *
     * @param function the function applied to the layer's input; not null
     * @throws NullPointerException if {@code function} is null
     */
    public Activation(ActivationFunction function) {
        super(null);
        this.function = Objects.requireNonNull(function, "Activation: argument 'activation' is null");
    }

    /**
     * Rebuilds an Activation layer from its {@link #config()}.
     *
     * @param c the layer's config: the key {@code "activation"} plus the base layer keys (name, ...)
     * @return the rebuilt layer
     */
    public static Activation fromConfig(Map<String, Object> c) {
        return new Activation(LayerConfig.activation(c, "activation", "Activation")).withBaseConfig(c);
    }

    /**
     * The function applied.
     *
     * @return the activation function of this layer, never null
     */
    public ActivationFunction function() {
        return function;
    }

    @Override
    public String type() {
        return "Activation";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("activation", LayerConfig.activation(function));
        return c;
    }

    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    protected ActivationFunction outputActivation() {
        return function.isLinear() ? null : function;
    }

    @Override
    protected Frame frame(int batch) {
        boolean rowWise = function.isRowWise();
        int width = inputSize();
        return new ActivationFrame(backend().tensor(batch, width), rowWise ? backend().tensor(batch, width) : null,
                rowWise ? backend().tensor(batch, 1) : null);
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        if (pass.skipOutputActivation() || function.isLinear()) {
            return x;
        }
        ActivationFrame f = (ActivationFrame) frame;
        // The input stays valid until the backward pass (the previous layer's output buffer).
        f.x = x;
        function.forward(x.backend(), x, f.y);
        return f.y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        if (!pass.needInputGradient()) {
            return null;
        }
        if (!pass.skipOutputActivation()) {
            ActivationFrame f = (ActivationFrame) frame;
            function.backwardInPlace(dy.backend(), f.x, f.y, dy, f.tmp, f.rowSum);
        }
        return dy;
    }

    private static final class ActivationFrame extends Frame {
        final Tensor y;
        final Tensor tmp;
        final Tensor rowSum;
        Tensor x;

        ActivationFrame(Tensor y, Tensor tmp, Tensor rowSum) {
            super(y, tmp, rowSum);
            this.y = y;
            this.tmp = tmp;
            this.rowSum = rowSum;
        }
    }

    @Override
    public String toString() {
        return "Activation(" + function + ")";
    }
}
