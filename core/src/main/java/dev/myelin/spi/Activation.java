package dev.myelin.spi;

import java.util.Locale;

/**
 * Element-wise activations with their Keras names. {@code alpha} is the one parameter some take
 * (ignored by the others). The backward pass is computed from the forward <em>output</em>
 * {@code y}, which every activation here determines its derivative from:
 *
 * <pre>
 * name         forward y = f(x)                      derivative f'(x) written with y
 * LINEAR       x                                     1
 * STEP         x &gt; 0 ? 1 : 0                         0
 * SIGMOID      1 / (1 + e^-x)                        y (1 - y)
 * TANH         tanh x                                1 - y^2
 * RELU         max(x, 0)                             y &gt; 0 ? 1 : 0
 * LEAKY_RELU   x &gt; 0 ? x : alpha x   (alpha &gt;= 0)    y &gt; 0 ? 1 : alpha
 * ELU          x &gt; 0 ? x : alpha (e^x - 1)          y &gt; 0 ? 1 : y + alpha
 * SELU         s (x &gt; 0 ? x : a (e^x - 1))          y &gt; 0 ? s : y + s a
 *              s = 1.0507009873554805, a = 1.6732632423543772
 * SOFTPLUS     log(1 + e^x)                          1 - e^-y
 * SOFTSIGN     x / (1 + |x|)                         (1 - |y|)^2
 * EXPONENTIAL  e^x                                   y
 * </pre>
 */
public enum Activation {
    /** The identity. */
    LINEAR,
    /** The Heaviside step: 1 above 0, else 0. */
    STEP,
    /** The logistic sigmoid. */
    SIGMOID,
    /** The hyperbolic tangent. */
    TANH,
    /** The rectifier. */
    RELU,
    /** The rectifier with slope {@code alpha} below 0. */
    LEAKY_RELU,
    /** The exponential linear unit with {@code alpha}. */
    ELU,
    /** The scaled exponential linear unit. */
    SELU,
    /** {@code log(1 + e^x)}. */
    SOFTPLUS,
    /** {@code x / (1 + |x|)}. */
    SOFTSIGN,
    /** {@code e^x}. */
    EXPONENTIAL;

    /** The scale of SELU, {@code lambda} in Klambauer et al. (2017), as Keras uses it. */
    public static final double SELU_SCALE = 1.0507009873554805;
    /** The alpha of SELU, as Keras uses it. */
    public static final double SELU_ALPHA = 1.6732632423543772;

    /**
     * Keras's default {@code alpha}: 0.2 for leaky_relu (Keras 3 {@code negative_slope}), 1 for elu, else 0.
     *
     * @return the default parameter
     */
    public float defaultAlpha() {
        return switch (this) {
            case LEAKY_RELU -> 0.2f;
            case ELU -> 1.0f;
            default -> 0f;
        };
    }

    /**
     * The Keras name, e.g. {@code leaky_relu}.
     *
     * @return the lower-case name
     */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Looks up a Keras name ({@code "relu"}, {@code "leaky_relu"}, ...), case-insensitively.
     *
     * @param name a Keras activation name
     * @return the activation
     */
    public static Activation fromName(String name) {
        for (Activation a : values()) {
            if (a.kerasName().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation: expected one of " + java.util.Arrays.toString(
                java.util.Arrays.stream(values()).map(Activation::kerasName).toArray()) + ", got '" + name + "'");
    }
}
