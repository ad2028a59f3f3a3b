package dev.myelin.spi;

/** Distributions for {@link Backend#randomFill}; see {@link CounterRandom} for the exact generator. */
public enum Distribution {
    /** Uniform on {@code [a, b)}. */
    UNIFORM,
    /** Normal with mean {@code a} and standard deviation {@code b}. */
    NORMAL
}
