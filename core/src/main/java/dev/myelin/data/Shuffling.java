package dev.myelin.data;

/**
 * Seeded permutations that are the same on every JDK and every run: a SplitMix64 generator (fixed
 * here rather than borrowed from {@code java.util.Random}, so no library change can alter a split)
 * drives a Fisher-Yates shuffle with unbiased bounded draws.
 */
public final class Shuffling {

    private Shuffling() {
    }

    /**
     * A permutation of {@code 0..n-1} determined by {@code seed}.
     *
     * @param n the length
     * @param seed the shuffle's seed
     * @return a new array
     */
    public static int[] permutation(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n: expected >= 0, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, seed);
        return p;
    }

    /**
     * Shuffles {@code values} in place, determined by {@code seed}.
     *
     * @param values the array to shuffle
     * @param seed the shuffle's seed
     */
    public static void shuffle(int[] values, long seed) {
        SplitMix64 random = new SplitMix64(seed);
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** Steele, Lea and Flood's SplitMix64: tiny, fast, and well mixed for every seed (0 included). */
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in {@code [0, bound)}: redraws when r falls in the last, incomplete run of {@code bound} values. */
        int nextInt(int bound) {
            long r;
            long m;
            do {
                r = nextLong() >>> 1;
                m = r % bound;
            } while (r - m + (bound - 1) < 0);
            return (int) m;
        }
    }
}
