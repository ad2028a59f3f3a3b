package dev.myelin.nn;

import dev.myelin.Tensor;
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
 *
 * @param name the Keras name
 * @param elementWise the SPI activation, or null for softmax
 * @param alpha the activation's parameter (leaky_relu's slope, elu's alpha; 0 for the others)
 */
public record ActivationFunction(String name, Activation elementWise, float alpha) {

    public static final ActivationFunction LINEAR = of(Activation.LINEAR);
    public static final ActivationFunction SOFTMAX = new ActivationFunction("softmax", null, 0f);

    /** Checks the name, and that {@code alpha} is finite and non-negative where it is used. */
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
     * @param a the SPI activation
     * @return the function
     */
    public static ActivationFunction of(Activation a) {
        return new ActivationFunction(a.kerasName(), a, a.defaultAlpha());
    }

    /**
     * leaky_relu with Keras 3's {@code negative_slope}, or elu with its {@code alpha}.
     *
     * @param a {@code LEAKY_RELU} or {@code ELU}
     * @param alpha the slope or alpha, finite and non-negative
     * @return the function
     */
    public static ActivationFunction of(Activation a, float alpha) {
        return new ActivationFunction(a.kerasName(), a, alpha);
    }

    /**
     * Looks up a Keras activation name; {@code null} or {@code "linear"} is the identity.
     *
     * @param name a Keras activation name
     * @return the function
     */
    public static ActivationFunction of(String name) {
        if (name == null) {
            return LINEAR;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("softmax")) {
            return SOFTMAX;
        }
        for (Activation a : Activation.values()) {
            if (a.kerasName().equals(n)) {
                return of(a);
            }
        }
        throw new IllegalArgumentException("argument 'activation': unknown activation '" + name
                + "', expected one of [linear, step, sigmoid, tanh, relu, leaky_relu, elu, selu, softplus, softsign,"
                + " exponential, softmax]");
    }

    /**
     * Whether this is the row-wise softmax.
     *
     * @return true for softmax
     */
    public boolean isSoftmax() {
        return elementWise == null;
    }

    /**
     * Whether this is the identity.
     *
     * @return true for linear
     */
    public boolean isLinear() {
        return elementWise == Activation.LINEAR;
    }

    /**
     * Whether this is the sigmoid.
     *
     * @return true for sigmoid
     */
    public boolean isSigmoid() {
        return elementWise == Activation.SIGMOID;
    }

    /** {@code y = f(x)}; element-wise activations may run in place ({@code y == x}), softmax may not. */
    void forward(Backend b, Tensor x, Tensor y) {
        if (isSoftmax()) {
            b.softmax(x, y);
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
        if (isSoftmax()) {
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
