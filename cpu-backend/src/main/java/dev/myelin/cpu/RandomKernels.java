package dev.myelin.cpu;

import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Distribution;

/**
 * Seeded fills and inverted dropout from {@link CounterRandom}: element {@code i} depends only on
 * {@code (seed, i)}, so a range split across threads draws exactly what a single thread would.
 */
final class RandomKernels {

    private RandomKernels() {
    }

    static void fill(float[] t, Distribution d, float a, float b, long seed, int from, int to) {
        if (d == Distribution.UNIFORM) {
            float width = b - a;
            for (int i = from; i < to; i++) {
                t[i] = a + width * CounterRandom.uniform(seed, i);
            }
        } else {
            for (int i = from; i < to; i++) {
                t[i] = a + b * CounterRandom.normal(seed, i);
            }
        }
    }

    static void dropout(float rate, long seed, float[] x, float[] y, int from, int to) {
        float keep = 1f - rate;
        for (int i = from; i < to; i++) {
            // x - x rather than 0: +0 for a number, but a dropped NaN or infinity stays visible (NaN), as
            // in Keras's product with the mask.
            y[i] = CounterRandom.uniform(seed, i) >= rate ? x[i] / keep : x[i] - x[i];
        }
    }
}
