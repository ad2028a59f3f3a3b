package dev.myelin.spi;

import java.util.Locale;

/**
 * Element-wise activations with their Keras names ({@code keras.activations.*}). {@code alpha} is the
 * one parameter some take (ignored by the others).
 *
 * <p>There are two backward passes. {@link Backend#activationBackward} computes {@code dy * f'(x)} from
 * the forward <em>output</em> {@code y}, which lets a layer overwrite its pre-activation; it exists for
 * the activations whose derivative {@code y} determines ({@link #derivableFromOutput()}).
 * {@link Backend#activationBackwardFromInput} computes it from the input {@code x} and exists for all.
 *
 * <pre>
 * name              forward y = f(x)                          f'(x)                       f' from y
 * LINEAR            x                                         1                           1
 * STEP              x &gt; 0 ? 1 : 0                             0                           0
 * SIGMOID           1 / (1 + e^-x)                            s (1 - s)                   y (1 - y)
 * TANH              tanh x                                    1 - tanh^2 x                1 - y^2
 * RELU              max(x, 0)                                 x &gt; 0 ? 1 : 0               y &gt; 0 ? 1 : 0
 * LEAKY_RELU        x &gt; 0 ? x : alpha x   (alpha &gt;= 0)        x &gt; 0 ? 1 : alpha           y &gt; 0 ? 1 : alpha
 * ELU               x &gt; 0 ? x : alpha (e^x - 1)              x &gt; 0 ? 1 : alpha e^x       y &gt; 0 ? 1 : y + alpha
 * SELU              s (x &gt; 0 ? x : a (e^x - 1))              x &gt; 0 ? s : s a e^x         y &gt; 0 ? s : y + s a
 *                   s = 1.0507009873554805, a = 1.6732632423543772
 * SOFTPLUS          log(1 + e^x)                              sigmoid(x)                  1 - e^-y
 * SOFTSIGN          x / (1 + |x|)                             1 / (1 + |x|)^2             (1 - |y|)^2
 * EXPONENTIAL       e^x                                       e^x                         y
 * HARD_SIGMOID      relu6(x + 3) / 6                          -3 &lt; x &lt; 3 ? 1/6 : 0        0 &lt; y &lt; 1 ? 1/6 : 0
 * RELU6             min(max(x, 0), 6)                         0 &lt; x &lt; 6 ? 1 : 0           0 &lt; y &lt; 6 ? 1 : 0
 * SILU              x sigmoid(x)                              s (1 + x (1 - s))           -
 * GELU              x Phi(x) = x/2 (1 + erf(x / sqrt 2))      Phi(x) + x phi(x)           -
 * GELU_APPROXIMATE  x/2 (1 + tanh(u)),                        (1 + t)/2 + x/2 (1 - t^2) u' -
 *                   u = sqrt(2/pi) (x + 0.044715 x^3), t = tanh u
 * MISH              x tanh(softplus(x))                       t + x (1 - t^2) sigmoid(x)  -
 * HARD_SILU         x relu6(x + 3) / 6                        x &lt;= -3 ? 0 : x &gt;= 3 ? 1 : (2x + 3)/6 -
 * </pre>
 *
 * <p>Non-finite values (see {@link Backend}): {@code f(NaN) = NaN} for every activation, including the
 * piecewise ones ({@code step}, {@code relu}, {@code leaky_relu}, {@code elu}, {@code selu}), whose
 * comparisons must not send a NaN down the constant branch; the backward pass gives NaN where
 * {@code y} or {@code dy} is NaN (even {@code linear} and {@code step}, whose derivative does not depend
 * on {@code y}), and otherwise the IEEE product {@code dy * f'} (so {@code dy = +-Inf} times a zero
 * derivative is NaN). Infinite inputs follow the formula in IEEE arithmetic.
 * At the kinks (relu's 0, relu6's 0 and 6, the hard functions' -3 and 3) the derivative is the one
 * of the flat side, as Keras's {@code where}-based gradients give it.
 */
public enum Activation {
    /** {@code keras.activations.linear}. */
    LINEAR,
    /** A threshold at 0 (no Keras counterpart; its gradient is 0). */
    STEP,
    /** {@code keras.activations.sigmoid}. */
    SIGMOID,
    /** {@code keras.activations.tanh}. */
    TANH,
    /** {@code keras.activations.relu} with its defaults. */
    RELU,
    /** {@code keras.activations.leaky_relu}, {@code negative_slope} default 0.2. */
    LEAKY_RELU,
    /** {@code keras.activations.elu}, {@code alpha} default 1. */
    ELU,
    /** {@code keras.activations.selu}. */
    SELU,
    /** {@code keras.activations.softplus}. */
    SOFTPLUS,
    /** {@code keras.activations.softsign}. */
    SOFTSIGN,
    /** {@code keras.activations.exponential}. */
    EXPONENTIAL,
    /** {@code keras.activations.hard_sigmoid}: Keras 3's {@code relu6(x + 3) / 6} (not Keras 2's {@code 0.2x + 0.5}). */
    HARD_SIGMOID,
    /** {@code keras.activations.relu6}. */
    RELU6,
    /** {@code keras.activations.silu} (alias {@code swish}). */
    SILU,
    /** {@code keras.activations.gelu} with its default {@code approximate=False}: the exact erf form. */
    GELU,
    /** {@code keras.activations.gelu(x, approximate=True)}: the tanh form. */
    GELU_APPROXIMATE,
    /** {@code keras.activations.mish}. */
    MISH,
    /** {@code keras.activations.hard_silu} (alias {@code hard_swish}). */
    HARD_SILU;

    /** SELU's scale. */
    public static final double SELU_SCALE = 1.0507009873554805;
    /** SELU's alpha. */
    public static final double SELU_ALPHA = 1.6732632423543772;
    /** The cubic coefficient of approximate GELU. */
    public static final double GELU_CUBIC = 0.044715;

    /**
     * Keras's default {@code alpha}: 0.2 for leaky_relu (Keras 3 {@code negative_slope}), 1 for elu, else 0.
     *
     * @return the default alpha of this activation (0 where it takes none)
     */
    public float defaultAlpha() {
        return switch (this) {
            case LEAKY_RELU -> 0.2f;
            case ELU -> 1.0f;
            default -> 0f;
        };
    }

    /**
     * True when {@code f'(x)} is a function of {@code y = f(x)}, so that {@link Backend#activationBackward}
     * (from the output) is defined; false for silu, gelu, mish and hard_silu, which are not monotonic.
     *
     * @return whether the derivative can be computed from the activation's output alone
     */
    public boolean derivableFromOutput() {
        return switch (this) {
            case SILU, GELU, GELU_APPROXIMATE, MISH, HARD_SILU -> false;
            default -> true;
        };
    }

    /**
     * The Keras name, e.g. {@code leaky_relu}; {@code gelu_approximate} stands for {@code gelu(approximate=True)}.
     *
     * @return the lower-case Keras name of this activation
     */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Looks up a Keras name ({@code "relu"}, {@code "leaky_relu"}, ...), case-insensitively; Keras's aliases
     * {@code swish} (silu) and {@code hard_swish} (hard_silu) are accepted.
     *
     * @param name the Keras name, surrounding whitespace ignored; null is treated as unknown
     * @return the activation of that name
     * @throws IllegalArgumentException if {@code name} is null or not a known name or alias
     */
    public static Activation fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "swish" -> n = "silu";
            case "hard_swish" -> n = "hard_silu";
            default -> { }
        }
        for (Activation a : values()) {
            if (a.kerasName().equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation: expected one of " + java.util.Arrays.toString(
                java.util.Arrays.stream(values()).map(Activation::kerasName).toArray())
                + " (or the aliases swish, hard_swish), got '" + name + "'");
    }
}
