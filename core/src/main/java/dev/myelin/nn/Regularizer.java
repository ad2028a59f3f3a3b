package dev.myelin.nn;

/**
 * Keras's weight penalty {@code l1 * sum|w| + l2 * sum w^2}, added to the reported loss; its gradient is
 * folded into the optimizer step ({@code l1 sign(w) + 2 l2 w}).
 *
 * @param l1 the L1 factor, non-negative
 * @param l2 the L2 factor, non-negative
 */
public record Regularizer(float l1, float l2) {

    /** Checks that both factors are finite and non-negative. */
    public Regularizer {
        if (!(l1 >= 0f) || !Float.isFinite(l1)) {
            throw new IllegalArgumentException("regularizer: argument 'l1' must be finite and >= 0, got " + l1);
        }
        if (!(l2 >= 0f) || !Float.isFinite(l2)) {
            throw new IllegalArgumentException("regularizer: argument 'l2' must be finite and >= 0, got " + l2);
        }
    }

    /**
     * Keras {@code L1(l1=0.01)}.
     *
     * @return the regularizer
     */
    public static Regularizer ofL1() {
        return ofL1(0.01f);
    }

    /**
     * Keras {@code L1(l1)}.
     *
     * @param l1 the L1 factor, non-negative
     * @return the regularizer
     */
    public static Regularizer ofL1(float l1) {
        return new Regularizer(l1, 0f);
    }

    /**
     * Keras {@code L2(l2=0.01)}.
     *
     * @return the regularizer
     */
    public static Regularizer ofL2() {
        return ofL2(0.01f);
    }

    /**
     * Keras {@code L2(l2)}.
     *
     * @param l2 the L2 factor, non-negative
     * @return the regularizer
     */
    public static Regularizer ofL2(float l2) {
        return new Regularizer(0f, l2);
    }

    /**
     * Keras {@code L1L2(l1=0.0, l2=0.0)}.
     *
     * @param l1 the L1 factor, non-negative
     * @param l2 the L2 factor, non-negative
     * @return the regularizer
     */
    public static Regularizer ofL1L2(float l1, float l2) {
        return new Regularizer(l1, l2);
    }

    /**
     * Keras names with Keras's defaults: {@code l1} (0.01), {@code l2} (0.01), {@code l1_l2} (0 and 0, as Keras).
     *
     * @param name a Keras regularizer name, or null for none
     * @return the regularizer, or null for none
     */
    public static Regularizer of(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "l1" -> ofL1();
            case "l2" -> ofL2();
            case "l1_l2", "l1l2" -> ofL1L2(0f, 0f);
            default -> throw new IllegalArgumentException("argument 'regularizer': unknown regularizer '" + name
                    + "', expected one of [l1, l2, l1_l2]");
        };
    }

    boolean isZero() {
        return l1 == 0f && l2 == 0f;
    }
}
