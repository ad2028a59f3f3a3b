package dev.myelin.spi;

/** What a reduction computes over the elements it visits. */
public enum Reduction {
    SUM, MEAN, MAX, MIN,
    /** Sum of absolute values (the L1 penalty). */
    SUM_ABS,
    /** Sum of squares (the L2 penalty). */
    SUM_SQUARES
}
