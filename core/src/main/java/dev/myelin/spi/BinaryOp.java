package dev.myelin.spi;

/**
 * Element-wise binary operations {@code out = a op b}. Comparisons give 1 or 0. With a NaN operand the
 * arithmetic ops, MAX and MIN give NaN (NaN wins, as Java's {@code Math.max}); EQUAL and GREATER are IEEE
 * comparisons and give 0.
 */
public enum BinaryOp {
    /** {@code a + b} */
    ADD,
    /** {@code a - b} */
    SUB,
    /** {@code a * b} */
    MUL,
    /** {@code a / b} */
    DIV,
    /** The larger of {@code a} and {@code b}; NaN when either is NaN. */
    MAX,
    /** The smaller of {@code a} and {@code b}; NaN when either is NaN. */
    MIN,
    /** {@code a == b ? 1 : 0} */
    EQUAL,
    /** {@code a > b ? 1 : 0} */
    GREATER
}
