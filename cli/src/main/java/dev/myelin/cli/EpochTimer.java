package dev.myelin.cli;

import dev.myelin.nn.Callback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wall time of each epoch of a fit. Fit reads the epoch's loss back from the device before it calls
 * {@code onEpochEnd}, so every kernel the epoch enqueued has finished inside the time. Validation, when
 * fit has validation data, runs before {@code onEpochEnd} too: time without it for training speed.
 */
final class EpochTimer implements Callback {

    private final List<Double> seconds = new ArrayList<>();
    private long start;

    @Override
    public void onEpochBegin(int epoch) {
        start = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        seconds.add((System.nanoTime() - start) / 1e9);
    }

    /** Seconds per completed epoch, in order. */
    List<Double> seconds() {
        return List.copyOf(seconds);
    }

    /**
     * The typical time of an epoch once the code is warm: the mean of epochs 2..n (the first also pays
     * for JIT compilation and kernel builds), or the first epoch's time when only one ran.
     */
    double steadySecondsPerEpoch() {
        if (seconds.isEmpty()) {
            throw new IllegalStateException("EpochTimer: no epoch has completed");
        }
        if (seconds.size() == 1) {
            return seconds.get(0);
        }
        return seconds.subList(1, seconds.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
