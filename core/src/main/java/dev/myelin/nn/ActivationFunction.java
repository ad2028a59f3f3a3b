package dev.myelin.nn;

import dev.myelin.spi.Tensor;
import dev.myelin.spi.Activation;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Axis;
import java.util.Locale;
import java.util.Objects;

/**
 * An activation function of the model layer: one of the element-wise {@link Activation}s of the SPI,
 * or the row-wise softmax. Parsed from Keras names ({@code "relu"}, {@code "softmax"}, ...).
 */
public record ActivationFunction(String name, Activation elementWise, float alpha) {

    public static final ActivationFunction LINEAR = of(Activation.LINEAR);
    public static final ActivationFunction SOFTMAX = new ActivationFunction("softmax", null, 0f);
    /** Keras's {@code log_softmax}: row-wise, {@code x - max - ln(sum e^(x - max))}. */
    public static final ActivationFunction LOG_SOFTMAX = new ActivationFunction("log_softmax", null, 0f);

    public ActivationFunction {
        Objects.requireNonNull(name, "name");
        if (elementWise != null && (elementWise == Activation.LEAKY_RELU || elementWise == Activation.ELU)
                && !(alpha >= 0f && Float.isFinite(alpha))) {
            throw new IllegalArgumentException("activation " + name + ": argument 'alpha' must be finite and >= 0, got "
                    + alpha);
        }
    }

    /** The element-wise activation with Keras's default parameter. */
    public static ActivationFunction of(Activation a) {
        return new ActivationFunction(a.kerasName(), a, a.defaultAlpha());
    }

    /** leaky_relu with Keras 3's {@code negative_slope}, or elu with its {@code alpha}. */
    public static ActivationFunction of(Activation a, float alpha) {
        return new ActivationFunction(a.kerasName(), a, alpha);
    }

    /**
     * Keras's {@code gelu(x, approximate)}: the exact erf form (Keras's default, also the name {@code "gelu"}) or
     * the tanh form (also the name {@code "gelu_approximate"}).
     */
    public static ActivationFunction gelu(boolean approximate) {
        return of(approximate ? Activation.GELU_APPROXIMATE : Activation.GELU);
    }

    /**
     * Looks up a Keras activation name; {@code null} or {@code "linear"} is the identity. Keras's aliases
     * {@code swish} (silu) and {@code hard_swish} (hard_silu) are accepted; {@code gelu_approximate} is
     * {@code gelu(approximate=True)}. Parameters take Keras's function defaults (leaky_relu 0.2, elu 1.0).
     */
    public static ActivationFunction of(String name) {
        if (name == null) {
            return LINEAR;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("softmax")) {
            return SOFTMAX;
        }
        if (n.equals("log_softmax")) {
            return LOG_SOFTMAX;
        }
        try {
            return of(Activation.fromName(n));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument 'activation': unknown activation '" + name
                    + "', expected one of " + names());
        }
    }

    /** Every accepted name, for messages and help texts. */
    public static String names() {
        StringBuilder sb = new StringBuilder("[");
        for (Activation a : Activation.values()) {
            sb.append(a.kerasName()).append(", ");
        }
        return sb.append("softmax, log_softmax; aliases swish, hard_swish]").toString();
    }

    /** True for the row-wise softmax. */
    public boolean isSoftmax() {
        return elementWise == null && name.equals("softmax");
    }

    /** True for the row-wise log-softmax. */
    public boolean isLogSoftmax() {
        return elementWise == null && name.equals("log_softmax");
    }

    /** True when the backward pass needs the activation's input (silu, gelu, mish, hard_silu). */
    public boolean needsInput() {
        return elementWise != null && !elementWise.derivableFromOutput();
    }

    /** True for softmax and log-softmax, which need row buffers in the backward pass. */
    boolean isRowWise() {
        return elementWise == null;
    }

    public boolean isLinear() {
        return elementWise == Activation.LINEAR;
    }

    public boolean isSigmoid() {
        return elementWise == Activation.SIGMOID;
    }

    /** {@code y = f(x)}; element-wise activations may run in place ({@code y == x}), softmax may not. */
    void forward(Backend b, Tensor x, Tensor y) {
        if (isSoftmax()) {
            b.softmax(x, y);
        } else if (isLogSoftmax()) {
            b.logSoftmax(x, y);
        } else {
            b.activation(elementWise, alpha, x, y);
        }
    }

    /**
     * Overwrites {@code dy} with {@code dy * f'(x)}, computed from the forward output {@code y}. Softmax
     * needs {@code tmp} (shaped like y) and {@code rowSum} ({@code [rows x 1]}): its Jacobian-vector
     * product is {@code y * (dy - sum_j dy_j y_j)} per row.
     */
    void backwardInPlace(Backend b, Tensor y, Tensor dy, Tensor tmp, Tensor rowSum) {
        backwardInPlace(b, null, y, dy, tmp, rowSum);
    }

    /**
     * As above, with the forward input {@code x} for the activations that need it ({@link #needsInput()});
     * log-softmax's product is {@code dy - e^y sum_j dy_j} per row.
     */
    void backwardInPlace(Backend b, Tensor x, Tensor y, Tensor dy, Tensor tmp, Tensor rowSum) {
        if (needsInput()) {
            b.activationBackwardFromInput(elementWise, alpha, x, dy, dy);
        } else if (isLogSoftmax()) {
            b.activation(Activation.EXPONENTIAL, 0f, y, tmp);
            b.reduce(Reduction.SUM, Axis.PER_ROW, dy, rowSum);
            b.binary(BinaryOp.MUL, tmp, rowSum, tmp);
            b.binary(BinaryOp.SUB, dy, tmp, dy);
        } else if (isSoftmax()) {
            b.binary(BinaryOp.MUL, dy, y, tmp);
            b.reduce(Reduction.SUM, Axis.PER_ROW, tmp, rowSum);
            b.binary(BinaryOp.SUB, dy, rowSum, tmp);
            b.binary(BinaryOp.MUL, tmp, y, dy);
        } else if (!isLinear()) {
            b.activationBackward(elementWise, alpha, y, dy, dy);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
