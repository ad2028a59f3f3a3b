package dev.myelin.spark;

import java.util.List;

/**
 * What a distributed fit did.
 *
 * @param epochLosses each epoch's training loss: the row-weighted mean of its steps' batch losses
 * @param stepMillis  the driver's wall time of every step (or averaging round), job and update included
 */
public record TrainingSummary(List<Double> epochLosses, List<Double> stepMillis) {

    /** Copies the lists. */
    public TrainingSummary {
        epochLosses = List.copyOf(epochLosses);
        stepMillis = List.copyOf(stepMillis);
    }
}
