package dev.myelin.nn;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import java.util.Locale;
import java.util.Objects;

/**
 * An activation function of the model layer: one of the element-wise {@link Activation}s of the SPI,
 * or the row-wise softmax. Parsed from Keras names ({@code "relu"}, {@code "softmax"}, ...).
 *
 * @param name the Keras name, e.g. {@code "relu"}, {@code "softmax"}; returned by {@link #toString()}; not null
 * @param elementWise the SPI activation applied per element, or null for the row-wise softmax and log-softmax
 * @param alpha the activation's parameter: leaky_relu's negative slope or elu's alpha (finite, {@code >= 0});
 *        ignored by the other activations
 */
public record ActivationFunction(String name, Activation elementWise, float alpha) {

    /** The identity, Keras's {@code "linear"} (also what a null activation name means). */
    public static final ActivationFunction LINEAR = of(Activation.LINEAR);
    /** Keras's {@code softmax}: row-wise, {@code e^(x - max) / sum e^(x - max)}. */
    public static final ActivationFunction SOFTMAX = new ActivationFunction("softmax", null, 0f);
    /** Keras's {@code log_softmax}: row-wise, {@code x - max - ln(sum e^(x - max))}. */
    public static final ActivationFunction LOG_SOFTMAX = new ActivationFunction("log_softmax", null, 0f);

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code elementWise} is leaky_relu or elu and {@code alpha} is negative,
     *         infinite or NaN
     */
    public ActivationFunction {
        Objects.requireNonNull(name, "name");
        if (elementWise != null && (elementWise == Activation.LEAKY_RELU || elementWise == Activation.ELU)
                && !(alpha >= 0f && Float.isFinite(alpha))) {
            throw new IllegalArgumentException("activation " + name + ": argument 'alpha' must be finite and >= 0, got "
                    + alpha);
        }
    }

    /**
     * The element-wise activation with Keras's default parameter.
     *
     * @param a the SPI activation; not null
     * @return the activation named by {@code a}'s Keras name, with {@code alpha} at {@code a}'s default
     *         (leaky_relu 0.2, elu 1.0, else 0)
     */
    public static ActivationFunction of(Activation a) {
        return new ActivationFunction(a.kerasName(), a, a.defaultAlpha());
    }

    /**
     * leaky_relu with Keras 3's {@code negative_slope}, or elu with its {@code alpha}.
     *
     * @param a the SPI activation, normally {@link Activation#LEAKY_RELU} or {@link Activation#ELU}; not null
     * @param alpha the negative slope (leaky_relu) or the saturation value for negative inputs (elu); finite and
     *        {@code >= 0} for those two, ignored by other activations
     * @return the activation with that parameter
     * @throws IllegalArgumentException if {@code a} is leaky_relu or elu and {@code alpha} is negative or not
     *         finite
     */
    public static ActivationFunction of(Activation a, float alpha) {
        return new ActivationFunction(a.kerasName(), a, alpha);
    }

    /**
     * Keras's {@code gelu(x, approximate)}: the exact erf form (Keras's default, also the name {@code "gelu"}) or
     * the tanh form (also the name {@code "gelu_approximate"}).
     *
     * @param approximate true for the tanh approximation, false for the exact erf form
     * @return the gelu activation of that form
     */
    public static ActivationFunction gelu(boolean approximate) {
        return of(approximate ? Activation.GELU_APPROXIMATE : Activation.GELU);
    }

    /**
     * Looks up a Keras activation name; {@code null} or {@code "linear"} is the identity. Keras's aliases
     * {@code swish} (silu) and {@code hard_swish} (hard_silu) are accepted; {@code gelu_approximate} is
     * {@code gelu(approximate=True)}. Parameters take Keras's function defaults (leaky_relu 0.2, elu 1.0).
     *
     * @param name the Keras activation name, case-insensitive, surrounding blanks ignored; null for linear
     * @return the activation; {@link #LINEAR} for null, {@link #SOFTMAX} and {@link #LOG_SOFTMAX} for those names
     * @throws IllegalArgumentException if the name is not a known activation; the message lists {@link #names()}
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

    /**
     * Every accepted name, for messages and help texts.
     *
     * @return a bracketed, comma-separated list of the Keras names, softmax, log_softmax and the aliases
     */
    public static String names() {
        StringBuilder sb = new StringBuilder("[");
        for (Activation a : Activation.values()) {
            sb.append(a.kerasName()).append(", ");
        }
        return sb.append("softmax, log_softmax; aliases swish, hard_swish]").toString();
    }

    /**
     * True for the row-wise softmax.
     *
     * @return true if this is {@link #SOFTMAX}
     */
    public boolean isSoftmax() {
        return elementWise == null && name.equals("softmax");
    }

    /**
     * True for the row-wise log-softmax.
     *
     * @return true if this is {@link #LOG_SOFTMAX}
     */
    public boolean isLogSoftmax() {
        return elementWise == null && name.equals("log_softmax");
    }

    /**
     * True when the backward pass needs the activation's input (silu, gelu, mish, hard_silu).
     *
     * @return true if the derivative cannot be computed from the forward output alone
     */
    public boolean needsInput() {
        return elementWise != null && !elementWise.derivableFromOutput();
    }

    /** True for softmax and log-softmax, which need row buffers in the backward pass. */
    boolean isRowWise() {
        return elementWise == null;
    }

    /**
     * True for the identity.
     *
     * @return true if this is the element-wise {@code linear} activation
     */
    public boolean isLinear() {
        return elementWise == Activation.LINEAR;
    }

    /**
     * True for the logistic sigmoid.
     *
     * @return true if this is the element-wise {@code sigmoid} activation
     */
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
