package dev.myelin.spi;

/**
 * What a reduction computes over the elements it visits. MAX and MIN are NaN when any visited element is
 * NaN (NaN wins); the sums follow IEEE addition (NaN in, NaN out; +Inf and -Inf together give NaN).
 */
public enum Reduction {
    /** Sum of the elements. */
    SUM,
    /** Mean of the elements. */
    MEAN,
    /** Largest element; NaN when any is NaN. */
    MAX,
    /** Smallest element; NaN when any is NaN. */
    MIN,
    /** Sum of absolute values (the L1 penalty). */
    SUM_ABS,
    /** Sum of squares (the L2 penalty). */
    SUM_SQUARES
}
