package dev.myelin.nn.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each schedule over its first steps against Keras 3's formulas evaluated by hand. */
class LearningRateScheduleTest {

    private static void assertSteps(LearningRateSchedule s, double... expected) {
        for (int step = 0; step < expected.length; step++) {
            assertEquals(expected[step], s.at(step), 1e-12, "step " + step);
        }
    }

    @Test
    void exponentialDecay() {
        double r = Math.sqrt(0.5);
        assertSteps(new ExponentialDecay(0.2, 2, 0.5), 0.2, 0.2 * r, 0.1, 0.1 * r, 0.05);
        assertSteps(new ExponentialDecay(0.2, 2, 0.5, true), 0.2, 0.2, 0.1, 0.1, 0.05);
    }

    @Test
    void inverseTimeDecay() {
        assertSteps(new InverseTimeDecay(0.1, 2, 0.5), 0.1, 0.1 / 1.25, 0.1 / 1.5, 0.1 / 1.75, 0.05);
        assertSteps(new InverseTimeDecay(0.1, 2, 0.5, true), 0.1, 0.1, 0.1 / 1.5, 0.1 / 1.5, 0.05);
    }

    @Test
    void piecewiseConstantDecay() {
        // step <= 2: 1.0; 2 < step <= 4: 0.5; after: 0.1 (Keras's boundaries are inclusive on the left value).
        assertSteps(new PiecewiseConstantDecay(new long[] {2, 4}, new double[] {1.0, 0.5, 0.1}),
                1.0, 1.0, 1.0, 0.5, 0.5, 0.1, 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {2}, new double[] {1.0}));
        assertTrue(e.getMessage().contains("values"), e.getMessage());
    }

    @Test
    void polynomialDecay() {
        double d = 0.1 - 0.0001;
        // Linear to end_learning_rate 0.0001 over 4 steps, then constant.
        assertSteps(new PolynomialDecay(0.1, 4), 0.1, d * 0.75 + 0.0001, d * 0.5 + 0.0001, d * 0.25 + 0.0001, 0.0001,
                0.0001);
        // cycle: the horizon grows to 4 ceil(step / 4): at step 5 it is 8, so (1 - 5/8)^2.
        assertSteps(new PolynomialDecay(0.1, 4, 0.0001, 2.0, true), 0.1, d * 0.5625 + 0.0001, d * 0.25 + 0.0001,
                d * 0.0625 + 0.0001, 0.0001, d * 0.140625 + 0.0001);
    }

    @Test
    void cosineDecayWithAndWithoutWarmUp() {
        double c = Math.cos(Math.PI / 4);
        assertSteps(new CosineDecay(0.1, 4), 0.1, 0.05 * (1 + c), 0.05, 0.05 * (1 - c), 0.0, 0.0);
        // Warm-up from 0 to 0.2 over 3 steps, then cosine from 0.2 down to 0.2 * alpha over 4 steps.
        assertSteps(new CosineDecay(0.0, 4, 0.1, 0.2, 3), 0.0, 0.2 / 3, 0.4 / 3, 0.2,
                0.2 * (0.9 * 0.5 * (1 + c) + 0.1), 0.2 * (0.9 * 0.5 + 0.1), 0.2 * (0.9 * 0.5 * (1 - c) + 0.1), 0.02,
                0.02);
    }

    @Test
    void badArgumentsNameTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExponentialDecay(0.1, 0, 0.5));
        assertTrue(e.getMessage().contains("decay_steps") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 4, 0.0, 0.2, 0));
        assertTrue(e.getMessage().contains("warmup_steps"), e.getMessage());
    }
}
