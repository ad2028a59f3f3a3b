package dev.myelin.nn;

import dev.myelin.spi.Tensor;

/**
 * A metric built on confusion counts that fit and evaluate may accumulate on the device
 * ({@link DeviceConfusion}): while {@link #device} is set, batches go there; otherwise each batch is read
 * back and passed to {@link #updateState}.
 */
abstract class ConfusionMetric extends Metric {

    /** The device counts of the current fit or evaluate, or null for the host path. */
    DeviceConfusion device;

    ConfusionMetric(String name) {
        super(name);
    }

    /** Counts on the device from now on (replacing any earlier device state). */
    final void countOnDevice(DeviceConfusion counts) {
        release();
        device = counts;
    }

    @Override
    final void update(Tensor pred, Tensor target, Tensor tmpA, Tensor tmpB, Tensor colA, Tensor colB) {
        if (device != null) {
            device.update(pred, target, colA, colB);
        } else {
            super.update(pred, target, tmpA, tmpB, colA, colB);
        }
    }

    @Override
    final void release() {
        if (device != null) {
            device.close();
            device = null;
        }
    }
}
