package dev.myelin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.spi.CounterRandom;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CounterRandom against independent implementations of the formula its Javadoc states. */
class CounterRandomTest {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** mix64 written with unsigned 64-bit arithmetic in BigInteger, mod 2^64. */
    private static long mix64Big(long z) {
        BigInteger x = new BigInteger(Long.toUnsignedString(z));
        x = x.xor(x.shiftRight(30)).multiply(new BigInteger("BF58476D1CE4E5B9", 16)).mod(TWO_64);
        x = x.xor(x.shiftRight(27)).multiply(new BigInteger("94D049BB133111EB", 16)).mod(TWO_64);
        x = x.xor(x.shiftRight(31));
        return x.longValue();
    }

    @Test
    void bitsFollowTheFormulaWithWrapAround() {
        for (long seed : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0x5DEECE66DL}) {
            for (long i : new long[] {0, 1, 2, 1000, 1L << 40, Long.MAX_VALUE - 1}) {
                BigInteger z = new BigInteger(Long.toUnsignedString(seed))
                        .add(BigInteger.valueOf(i).add(BigInteger.ONE).multiply(new BigInteger("9E3779B97F4A7C15", 16)))
                        .mod(TWO_64);
                assertEquals(mix64Big(z.longValue()), CounterRandom.bits(seed, i), "bits(" + seed + ", " + i + ")");
            }
        }
    }

    @Test
    void bitsAreTheSplitMix64StreamOfTheJdk() {
        // SplittableRandom(seed) adds the same golden gamma and applies the same mix: element i is its (i+1)-th long.
        for (long seed : new long[] {0, 42, -7}) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(r.nextLong(), CounterRandom.bits(seed, i), "seed " + seed + " index " + i);
            }
        }
    }

    @Test
    void uniformIsTheTop24BitsInUnitInterval() {
        for (int i = 0; i < 10_000; i++) {
            float u = CounterRandom.uniform(99, i);
            assertTrue(u >= 0f && u < 1f, "uniform " + u);
            assertEquals(CounterRandom.bits(99, i) >>> 40, (long) (u * 0x1.0p24f), "uniform is exact in float32");
        }
    }

    @Test
    void normalIsBoxMullerOfTwoUniforms() {
        double sum = 0;
        double sq = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            double u1 = CounterRandom.uniform(5, 2L * i);
            double u2 = CounterRandom.uniform(5, 2L * i + 1);
            float expected = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
            float z = CounterRandom.normal(5, i);
            assertEquals(expected, z, 0f);
            assertTrue(Float.isFinite(z));
            sum += z;
            sq += (double) z * z;
        }
        double mean = sum / n;
        assertEquals(0, mean, 5 / Math.sqrt(n), "mean of 100k normals");
        assertEquals(1, Math.sqrt(sq / n - mean * mean), 0.01, "standard deviation of 100k normals");
    }

    @Test
    void streamSeedsDifferPerStreamAndSeed() {
        Set<Long> seen = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            for (long step = 0; step < 100; step++) {
                assertTrue(seen.add(CounterRandom.streamSeed(seed, step)), "stream seed repeated at " + seed + "/" + step);
            }
        }
        assertEquals(CounterRandom.streamSeed(3, 4), CounterRandom.streamSeed(3, 4));
        assertNotEquals(CounterRandom.uniform(CounterRandom.streamSeed(3, 4), 0), CounterRandom.uniform(CounterRandom.streamSeed(3, 5), 0));
    }
}
