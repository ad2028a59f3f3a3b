package dev.myelin.nn;

import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import java.util.Map;
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
    private boolean useBias = true;
    private Parameter bias;

    /**
     * A Dense layer without activation (Keras's {@code activation=None}).
     *
     * @param units the output width, the kernel's column count; {@code >= 1}
     * @throws IllegalArgumentException if {@code units < 1}
     */
    public Dense(int units) {
        this(units, ActivationFunction.LINEAR);
    }

    /**
     * A Dense layer with a named activation.
     *
     * @param units the output width, the kernel's column count; {@code >= 1}
     * @param activation a Keras activation name as in {@link ActivationFunction#of(String)}; null means linear
     * @throws IllegalArgumentException if {@code units < 1} or the activation name is unknown
     */
    public Dense(int units, String activation) {
        this(units, ActivationFunction.of(activation));
    }

    /**
     * A Dense layer with the given activation.
     *
     * @param units the output width, the kernel's column count; {@code >= 1}
     * @param activation the activation applied to {@code x W + b}; not null ({@link ActivationFunction#LINEAR}
     *        for none)
     * @throws IllegalArgumentException if {@code units < 1}
     * @throws NullPointerException if {@code activation} is null
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
     * @param units the output width, the kernel's column count; {@code >= 1}
     * @param activation a Keras activation name; null means linear
     * @param kernelInitializer a Keras initializer name, e.g. {@code "he_normal"}; null for glorot_uniform
     * @param biasInitializer a Keras initializer name; null for zeros
     * @param kernelRegularizer {@code "l1"}, {@code "l2"} or {@code "l1_l2"} with Keras's factors; null for none
     * @param biasRegularizer {@code "l1"}, {@code "l2"} or {@code "l1_l2"} with Keras's factors; null for none
     * @throws IllegalArgumentException if {@code units < 1} or a name is unknown
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
     * Sets Keras's {@code kernel_initializer} (default glorot_uniform); call before the model is built.
     *
     * @param init the initializer of the {@code [inputs x units]} kernel; not null
     * @return this layer, for chaining
     * @throws NullPointerException if {@code init} is null
     * @throws IllegalStateException if the layer is already built
     */
    public Dense kernelInitializer(Initializer init) {
        checkNotBuilt();
        this.kernelInitializer = Objects.requireNonNull(init, "Dense: argument 'kernel_initializer' is null");
        return this;
    }

    /**
     * Sets Keras's {@code bias_initializer} (default zeros); call before the model is built.
     *
     * @param init the initializer of the {@code [1 x units]} bias; not null
     * @return this layer, for chaining
     * @throws NullPointerException if {@code init} is null
     * @throws IllegalStateException if the layer is already built
     */
    public Dense biasInitializer(Initializer init) {
        checkNotBuilt();
        this.biasInitializer = Objects.requireNonNull(init, "Dense: argument 'bias_initializer' is null");
        return this;
    }

    /**
     * Sets Keras's {@code kernel_regularizer}, whose penalty is added to the loss; call before the model is built.
     *
     * @param r the kernel's L1/L2 penalty, or null for none (the default)
     * @return this layer, for chaining
     * @throws IllegalStateException if the layer is already built
     */
    public Dense kernelRegularizer(Regularizer r) {
        checkNotBuilt();
        this.kernelRegularizer = r;
        return this;
    }

    /**
     * Sets Keras's {@code bias_regularizer}, whose penalty is added to the loss; call before the model is built.
     *
     * @param r the bias's L1/L2 penalty, or null for none (the default)
     * @return this layer, for chaining
     * @throws IllegalStateException if the layer is already built
     */
    public Dense biasRegularizer(Regularizer r) {
        checkNotBuilt();
        this.biasRegularizer = r;
        return this;
    }

    /**
     * Keras's {@code use_bias}: whether the layer adds a bias vector (default true; set before build).
     *
     * @param useBias true to add a {@code [1 x units]} bias, false for {@code y = f(x W)}
     * @return this layer, for chaining
     * @throws IllegalStateException if the layer is already built
     */
    public Dense useBias(boolean useBias) {
        checkNotBuilt();
        this.useBias = useBias;
        return this;
    }

    /**
     * Whether the layer adds a bias vector.
     *
     * @return true if the layer has a bias weight (the default)
     */
    public boolean useBias() {
        return useBias;
    }

    /**
     * Names the layer (before the model is built).
     *
     * @param name the layer name, unique within the model, used in weight names and messages; not null
     * @return this layer, for chaining
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the layer is already built
     */
    public Dense name(String name) {
        rename(name);
        return this;
    }

    /**
     * Rebuilds a Dense layer from its {@link #config()}.
     *
     * @param c the Keras-style config: {@code units} (required), {@code activation}, {@code use_bias},
     *        {@code kernel_initializer}, {@code bias_initializer}, {@code kernel_regularizer},
     *        {@code bias_regularizer}, {@code name}, {@code trainable}; absent keys take the defaults
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if a value is missing or of the wrong type, or a name is unknown
     */
    public static Dense fromConfig(Map<String, Object> c) {
        Dense d = new Dense(LayerConfig.integer(c, "units", "Dense"), LayerConfig.activation(c, "activation", "Dense"));
        d.kernelInitializer = LayerConfig.initializer(c, "kernel_initializer", d.kernelInitializer, "Dense");
        d.biasInitializer = LayerConfig.initializer(c, "bias_initializer", d.biasInitializer, "Dense");
        d.kernelRegularizer = LayerConfig.regularizer(c, "kernel_regularizer", "Dense");
        d.biasRegularizer = LayerConfig.regularizer(c, "bias_regularizer", "Dense");
        d.useBias = LayerConfig.bool(c, "use_bias", true, "Dense");
        return d.withBaseConfig(c);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("units", units);
        c.put("activation", LayerConfig.activation(activation));
        c.put("use_bias", useBias);
        c.put("kernel_initializer", LayerConfig.initializer(kernelInitializer));
        c.put("bias_initializer", LayerConfig.initializer(biasInitializer));
        c.put("kernel_regularizer", LayerConfig.regularizer(kernelRegularizer));
        c.put("bias_regularizer", LayerConfig.regularizer(biasRegularizer));
        return c;
    }

    /**
     * Keras's {@code units}.
     *
     * @return the output width, {@code >= 1}
     */
    public int units() {
        return units;
    }

    /**
     * Keras's {@code activation}.
     *
     * @return the activation applied to {@code x W + b}; {@link ActivationFunction#LINEAR} for none, never null
     */
    public ActivationFunction activation() {
        return activation;
    }

    @Override
    public String type() {
        return "Dense";
    }

    @Override
    public int outputSize(int inputSize) {
        return units;
    }

    @Override
    protected void build(int inputSize) {
        kernel = addWeight("kernel", inputSize, units, kernelInitializer, kernelRegularizer, true);
        if (useBias) {
            bias = addWeight("bias", 1, units, biasInitializer, biasRegularizer, true);
        }
    }

    @Override
    protected ActivationFunction outputActivation() {
        return activation.isLinear() ? null : activation;
    }

    @Override
    protected Frame frame(int batch) {
        return new DenseFrame(backend(), batch, inputSize(), units, activation);
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        DenseFrame f = (DenseFrame) frame;
        Backend b = x.backend();
        f.input = x;
        b.gemm(false, false, 1f, x, kernel.value, 0f, f.z);
        if (useBias) {
            b.binary(BinaryOp.ADD, f.z, bias.value, f.z);
        }
        if (pass.skipOutputActivation() || activation.isLinear()) {
            return f.z;
        }
        // Element-wise activations derivable from their output run in place; the others keep z for the backward pass.
        Tensor y = f.y != null ? f.y : f.z;
        activation.forward(b, f.z, y);
        return y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        boolean weights = pass.needWeightGradients();
        if (!weights && !pass.needInputGradient()) {
            return null;
        }
        DenseFrame f = (DenseFrame) frame;
        Backend b = dy.backend();
        if (!pass.skipOutputActivation()) {
            activation.backwardInPlace(b, f.z, f.y != null ? f.y : f.z, dy, f.tmp, f.rowSum);
        }
        // A frozen layer only passes the gradient on: its kernel and bias gradients would never be read.
        if (weights) {
            b.gemm(true, false, 1f, f.input, dy, 0f, kernel.gradient);
            if (useBias) {
                b.reduce(Reduction.SUM, Axis.PER_COLUMN, dy, bias.gradient);
            }
        }
        if (!pass.needInputGradient()) {
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
        protected void release() {
            close(z, y, tmp, rowSum, dx);
        }
    }

    @Override
    public String toString() {
        return "Dense(" + units + ", activation=" + activation + ")";
    }
}
