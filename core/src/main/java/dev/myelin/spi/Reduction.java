package dev.myelin.spi;

/** What a reduction computes over the elements it visits. */
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
