package dev.myelin.spi;

/**
 * Element-wise binary operations {@code out = a op b}. Comparisons give 1 or 0.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN,
    /** {@code a == b ? 1 : 0} */
    EQUAL,
    /** {@code a > b ? 1 : 0} */
    GREATER
}
