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

    public Dense(int units) {
        this(units, ActivationFunction.LINEAR);
    }

    public Dense(int units, String activation) {
        this(units, ActivationFunction.of(activation));
    }

    public Dense(int units, ActivationFunction activation) {
        super(null);
        if (units < 1) {
            throw new IllegalArgumentException("Dense: argument 'units' must be >= 1, got " + units);
        }
        this.units = units;
        this.activation = Objects.requireNonNull(activation, "Dense: argument 'activation' is null");
    }

    /** Keras's full constructor; null initializers take Keras's defaults, null regularizers mean none. */
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

    public Dense kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = Objects.requireNonNull(init, "Dense: argument 'kernel_initializer' is null");
        return this;
    }

    public Dense biasInitializer(Initializer init) {
        checkNotBuilt();
        this.biasInitializer = Objects.requireNonNull(init, "Dense: argument 'bias_initializer' is null");
        return this;
    }

    public Dense kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        this.kernelRegularizer = r;
        return this;
    }

    public Dense biasRegularizer(Regularizer r) {
        checkNotBuilt();
        this.biasRegularizer = r;
        return this;
    }

    public Dense name(String name) {
        checkNotBuilt();
        assignName(Objects.requireNonNull(name, "Dense: argument 'name' is null"));
        return this;
    }

    public int units() {
        return units;
    }

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
        // Element-wise activations derivable from their output run in place; the others keep z for the backward pass.
        Tensor y = f.y != null ? f.y : f.z;
        activation.forward(b, f.z, y);
        return y;
    }

    @Override
    Tensor backward(Frame frame, Tensor dy, boolean needInputGradient, boolean skipActivation) {
        DenseFrame f = (DenseFrame) frame;
        Backend b = dy.backend();
        if (!skipActivation) {
            activation.backwardInPlace(b, f.z, f.y != null ? f.y : f.z, dy, f.tmp, f.rowSum);
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
            boolean rowWise = activation.isRowWise();
            y = rowWise || activation.needsInput() ? b.tensor(batch, units) : null;
            tmp = rowWise ? b.tensor(batch, units) : null;
            rowSum = rowWise ? b.tensor(batch, 1) : null;
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
