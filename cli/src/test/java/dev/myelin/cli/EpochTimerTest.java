package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochTimerTest {

    @Test
    void steadyTimeLeavesOutTheFirstEpoch() {
        EpochTimer timer = new EpochTimer();
        for (int epoch = 0; epoch < 3; epoch++) {
            timer.onEpochBegin(epoch);
            timer.onEpochEnd(epoch, Map.of("loss", 1.0));
        }
        List<Double> s = timer.seconds();
        assertEquals(3, s.size());
        assertTrue(s.stream().allMatch(x -> x >= 0), s::toString);
        assertEquals((s.get(1) + s.get(2)) / 2, timer.steadySecondsPerEpoch(), 1e-12);
    }

    @Test
    void oneEpochIsItsOwnSteadyTime() {
        EpochTimer timer = new EpochTimer();
        timer.onEpochBegin(0);
        timer.onEpochEnd(0, Map.of());
        assertEquals(timer.seconds().get(0), timer.steadySecondsPerEpoch());
    }

    @Test
    void noEpochHasNoTime() {
        var e = assertThrows(IllegalStateException.class, () -> new EpochTimer().steadySecondsPerEpoch());
        assertEquals("EpochTimer: no epoch has completed", e.getMessage());
    }
}
