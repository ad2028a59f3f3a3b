package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;
import java.util.List;
import java.util.Objects;

/**
 * Keras {@code Dense}: {@code y = f(x W + b)} with the kernel stored {@code [inputs x units]}, a
 * glorot_uniform kernel and a zero bias by default.
 */
public final class Dense extends Layer {

    private final int units;
    private ActivationFunction activation;
    private Initializer kernelInitializer = Initializer.glorotUniform();
    private Initializer biasInitializer = Initializer.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;

    private Parameter kernel;
    private Parameter bias;
    private int inputs;

    /**
     * A layer of {@code units} outputs without activation.
     *
     * @param units the number of outputs, at least 1
     */
    public Dense(int units) {
        this(units, ActivationFunction.LINEAR);
    }

    /**
     * A layer of {@code units} outputs and the activation named {@code activation}.
     *
     * @param units the number of outputs, at least 1
     * @param activation a Keras activation name, such as {@code "relu"}
     */
    public Dense(int units, String activation) {
        this(units, ActivationFunction.of(activation));
    }

    /**
     * A layer of {@code units} outputs and the activation {@code activation}.
     *
     * @param units the number of outputs, at least 1
     * @param activation the activation function
     */
    public Dense(int units, ActivationFunction activation) {
        super(null);
        if (units < 1) {
            throw new IllegalArgumentException("Dense: argument 'units' must be >= 1, got " + units);
        }
        this.units = units;
        this.activation = Objects.requireNonNull(activation, "Dense: argument 'activation' is null");
    }

    /**
     * Keras's full constructor; null initializers take Keras's defaults, null regularizers mean none.
     *
     * @param units the number of outputs, at least 1
     * @param activation a Keras activation name, or null for none
     * @param kernelInitializer a Keras initializer name, or null
     * @param biasInitializer a Keras initializer name, or null
     * @param kernelRegularizer a Keras regularizer name, or null
     * @param biasRegularizer a Keras regularizer name, or null
     */
    public Dense(int units, String activation, String kernelInitializer, String biasInitializer,
            String kernelRegularizer, String biasRegularizer) {
        this(units, activation);
        if (kernelInitializer != null) {
            this.kernelInitializer = Initializer.of(kernelInitializer);
        }
        if (biasInitializer != null) {
            this.biasInitializer = Initializer.of(biasInitializer);
        }
        this.kernelRegularizer = Regularizer.of(kernelRegularizer);
        this.biasRegularizer = Regularizer.of(biasRegularizer);
    }

    /**
     * Sets how the kernel starts (before the model is built).
     *
     * @param init the initializer
     * @return this layer
     */
    public Dense kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = Objects.requireNonNull(init, "Dense: argument 'kernel_initializer' is null");
        return this;
    }

    /**
     * Sets how the bias starts (before the model is built).
     *
     * @param init the initializer
     * @return this layer
     */
    public Dense biasInitializer(Initializer init) {
        checkNotBuilt();
        this.biasInitializer = Objects.requireNonNull(init, "Dense: argument 'bias_initializer' is null");
        return this;
    }

    /**
     * Sets the kernel's penalty (before the model is built).
     *
     * @param r the regularizer
     * @return this layer
     */
    public Dense kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        this.kernelRegularizer = r;
        return this;
    }

    /**
     * Sets the bias's penalty (before the model is built).
     *
     * @param r the regularizer
     * @return this layer
     */
    public Dense biasRegularizer(Regularizer r) {
        checkNotBuilt();
        this.biasRegularizer = r;
        return this;
    }

    /**
     * Names the layer (its weights are saved under the name).
     *
     * @param name the layer's name
     * @return this layer
     */
    public Dense name(String name) {
        checkNotBuilt();
        assignName(Objects.requireNonNull(name, "Dense: argument 'name' is null"));
        return this;
    }

    /**
     * Number of outputs.
     *
     * @return the unit count
     */
    public int units() {
        return units;
    }

    /**
     * The activation applied to {@code x W + b}.
     *
     * @return the activation function
     */
    public ActivationFunction activation() {
        return activation;
    }

    private void checkNotBuilt() {
        if (kernel != null) {
            throw new IllegalStateException("Dense '" + name() + "' is already built; configure it before"
                    + " the model is built");
        }
    }

    @Override
    public String type() {
        return "Dense";
    }

    @Override
    String namePrefix() {
        return "dense";
    }

    @Override
    int outputSize(int inputSize) {
        return units;
    }

    @Override
    int build(Backend b, int inputSize, long seed) {
        this.inputs = inputSize;
        Tensor w = b.tensor(inputSize, units);
        Tensor dw = b.tensor(inputSize, units);
        Tensor bv = b.tensor(1, units);
        Tensor db = b.tensor(1, units);
        w.copyFrom(kernelInitializer.generate(inputSize, units, w.size(), seed));
        bv.copyFrom(biasInitializer.generate(units, units, units, dev.myelin.spi.CounterRandom.streamSeed(seed, 1)));
        kernel = new Parameter(name() + "/kernel", w, dw, kernelRegularizer);
        bias = new Parameter(name() + "/bias", bv, db, biasRegularizer);
        return units;
    }

    @Override
    List<Parameter> parameters() {
        return kernel == null ? List.of() : List.of(kernel, bias);
    }

    @Override
    ActivationFunction outputActivation() {
        return activation.isLinear() ? null : activation;
    }

    @Override
    Frame frame(int batch) {
        return new DenseFrame(kernel.value.backend(), batch, inputs, units, activation);
    }

    @Override
    Tensor forward(Frame frame, Tensor x, boolean training, long step, boolean skipActivation) {
        DenseFrame f = (DenseFrame) frame;
        Backend b = x.backend();
        f.input = x;
        b.gemm(false, false, 1f, x, kernel.value, 0f, f.z);
        b.binary(BinaryOp.ADD, f.z, bias.value, f.z);
        if (skipActivation || activation.isLinear()) {
            return f.z;
        }
        // Element-wise activations run in place: the backward pass needs only the output.
        Tensor y = activation.isSoftmax() ? f.y : f.z;
        activation.forward(b, f.z, y);
        return y;
    }

    @Override
    Tensor backward(Frame frame, Tensor dy, boolean needInputGradient, boolean skipActivation) {
        DenseFrame f = (DenseFrame) frame;
        Backend b = dy.backend();
        if (!skipActivation) {
            activation.backwardInPlace(b, activation.isSoftmax() ? f.y : f.z, dy, f.tmp, f.rowSum);
        }
        b.gemm(true, false, 1f, f.input, dy, 0f, kernel.gradient);
        b.reduce(Reduction.SUM, Axis.PER_COLUMN, dy, bias.gradient);
        if (!needInputGradient) {
            return null;
        }
        b.gemm(false, true, 1f, dy, kernel.value, 0f, f.dx);
        return f.dx;
    }

    private static final class DenseFrame extends Frame {
        final Tensor z;
        final Tensor y;
        final Tensor tmp;
        final Tensor rowSum;
        final Tensor dx;
        Tensor input;

        DenseFrame(Backend b, int batch, int inputs, int units, ActivationFunction activation) {
            z = b.tensor(batch, units);
            boolean softmax = activation.isSoftmax();
            y = softmax ? b.tensor(batch, units) : null;
            tmp = softmax ? b.tensor(batch, units) : null;
            rowSum = softmax ? b.tensor(batch, 1) : null;
            dx = b.tensor(batch, inputs);
        }

        @Override
        void release() {
            close(z, y, tmp, rowSum, dx);
        }
    }

    @Override
    public String toString() {
        return "Dense(" + units + ", activation=" + activation + ")";
    }
}
