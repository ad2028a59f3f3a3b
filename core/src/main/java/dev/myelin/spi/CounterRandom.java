package dev.myelin.spi;

/**
 * The counter-based generator every backend uses for {@link Backend#randomFill} and
 * {@link Backend#dropout}, so that one seed gives the same numbers on every device: element
 * {@code i} depends only on {@code (seed, i)}, never on how the work is split.
 *
 * <pre>
 * bits(seed, i)    = mix64(seed + (i + 1) * 0x9E3779B97F4A7C15)            (64-bit wrap-around)
 * mix64(z)         = z ^= z &gt;&gt;&gt; 30; z *= 0xBF58476D1CE4E5B9; z ^= z &gt;&gt;&gt; 27; z *= 0x94D049BB133111EB; z ^= z &gt;&gt;&gt; 31
 * uniform(seed, i) = (bits(seed, i) &gt;&gt;&gt; 40) * 2^-24                         exact in float32, in [0, 1)
 * normal(seed, i)  = sqrt(-2 ln(1 - uniform(seed, 2i))) * cos(2 pi uniform(seed, 2i + 1))
 * </pre>
 *
 * The uniform values are bit-identical across backends; the normal ones agree to float32 rounding
 * of {@code ln}, {@code sqrt} and {@code cos}.
 */
public final class CounterRandom {

    /** The 64-bit golden-ratio increment between consecutive counters. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private CounterRandom() {
    }

    /**
     * SplitMix64's finalizer: mixes the bits of {@code z}.
     *
     * @param z the value to mix
     * @return the mixed value
     */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The 64 random bits of element {@code index}.
     *
     * @param seed the seed
     * @param index the element, from 0
     * @return the bits
     */
    public static long bits(long seed, long index) {
        return mix64(seed + (index + 1) * GOLDEN);
    }

    /**
     * Element {@code index} of the uniform stream, in [0, 1).
     *
     * @param seed the seed
     * @param index the element, from 0
     * @return the value
     */
    public static float uniform(long seed, long index) {
        return (bits(seed, index) >>> 40) * 0x1.0p-24f;
    }

    /**
     * Element {@code index} of the standard normal stream (Box-Muller).
     *
     * @param seed the seed
     * @param index the element, from 0
     * @return the value
     */
    public static float normal(long seed, long index) {
        double u1 = uniform(seed, 2 * index);
        double u2 = uniform(seed, 2 * index + 1);
        return (float) (Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2));
    }

    /**
     * Derives the seed of sub-stream {@code stream} (e.g. a training step) from a base seed.
     *
     * @param seed the base seed
     * @param stream the sub-stream
     * @return the sub-stream's seed
     */
    public static long streamSeed(long seed, long stream) {
        return mix64(seed ^ mix64(stream + GOLDEN));
    }
}
