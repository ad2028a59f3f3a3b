package dev.myelin.spi;


/**
 * Keras 3's gradient clipping ({@code BaseOptimizer._clip_gradients}), applied by
 * {@link Backend#optimizerUpdate(UpdateRule, float[], float, float, GradientClip, float, Tensor, float,
 * Tensor, Tensor, Tensor...)} to the regularized gradient {@code g} before the rule's update. Keras allows
 * one of them at a time. {@code c} is the threshold and {@code s} the sum of squares the caller reduced
 * on the device beforehand (one value, read by the kernel).
 *
 * <pre>
 * NONE         g
 * VALUE        min(max(g, -c), c)                          (clipvalue; NaN stays NaN)
 * NORM         g c / max(sqrt(s), c), s = sum of this tensor's g^2        (clipnorm)
 * GLOBAL_NORM  g (c min(1/n, 1/c) + (n - n)), n = sqrt(s), s = sum of g^2 over every tensor of the model
 *              (global_clipnorm: a NaN or infinite norm makes the step NaN)
 * </pre>
 */
public enum GradientClip {
    /** No clipping. */
    NONE,
    /** Each element clipped to {@code [-c, c]}. */
    VALUE,
    /** The tensor scaled so that its L2 norm is at most {@code c}. */
    NORM,
    /** Every tensor scaled by one factor so that their joint L2 norm is at most {@code c}. */
    GLOBAL_NORM;

    /**
     * Whether the kernel reads the sum-of-squares tensor.
     *
     * @return true for {@link #NORM} and {@link #GLOBAL_NORM}, which scale by a norm
     */
    public boolean needsSumSquares() {
        return this == NORM || this == GLOBAL_NORM;
    }

    /**
     * The factor the gradient is multiplied by for a sum of squares {@code s} and threshold {@code c}
     * (1 for NONE and VALUE): the one definition the CPU backend and the float64 reference share
     * in form with the OpenCL and CUDA kernels.
     *
     * @param s the sum of squares of the gradient (this tensor's for NORM, every tensor's for GLOBAL_NORM),
     *     ignored for NONE and VALUE
     * @param c the clipping threshold ({@code clipnorm} or {@code global_clipnorm}), positive
     * @return the factor the gradient is multiplied by, at most 1; NaN when the norm is NaN, and for
     *     GLOBAL_NORM also when it is infinite
     */
    public double scale(double s, double c) {
        return switch (this) {
            case NONE, VALUE -> 1.0;
            case NORM -> {
                double n = Math.sqrt(s);
                // max(n, c) with NaN winning, as Keras's ops.maximum.
                yield c / (n <= c ? c : n);
            }
            case GLOBAL_NORM -> {
                double n = Math.sqrt(s);
                double inv = 1.0 / n;
                double invC = 1.0 / c;
                yield c * (inv < invC ? inv : invC) + (n - n);
            }
        };
    }
}
