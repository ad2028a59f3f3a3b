package dev.myelin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void timePerCallUnits() {
        assertEquals(2.5e-6, Units.secondsPerCall(2.5, "us/op"), 1e-18);
        assertEquals(2.5e-9, Units.secondsPerCall(2.5, "ns/op"), 1e-21);
        assertEquals(2.5e-3, Units.secondsPerCall(2.5, "ms/op"), 1e-15);
        assertEquals(2.5, Units.secondsPerCall(2.5, "s/op"), 1e-12);
        assertEquals(120, Units.secondsPerCall(2, "min/op"), 1e-9);
    }

    @Test
    void rateUnitsAreInverted() {
        assertEquals(0.25, Units.secondsPerCall(4, "ops/s"), 1e-12);
        assertEquals(1e-3 / 4, Units.secondsPerCall(4, "ops/ms"), 1e-15);
        assertEquals(1e-6 / 4, Units.secondsPerCall(4, "ops/us"), 1e-18);
    }

    @Test
    void rejectsUnknownUnitsAndScores() {
        assertThrows(IllegalArgumentException.class, () -> Units.secondsPerCall(1, "B/op/s"));
        assertThrows(IllegalArgumentException.class, () -> Units.secondsPerCall(1, "fortnights/op"));
        assertThrows(IllegalArgumentException.class, () -> Units.secondsPerCall(1, "bytes"));
        assertThrows(IllegalArgumentException.class, () -> Units.secondsPerCall(0, "us/op"));
        assertThrows(IllegalArgumentException.class, () -> Units.secondsPerCall(Double.NaN, "us/op"));
    }
}
