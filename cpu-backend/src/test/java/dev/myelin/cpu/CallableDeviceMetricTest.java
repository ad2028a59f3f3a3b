package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Metric;
import org.junit.jupiter.api.Test;

/** The device metrics called outside fit (they bind to the default backend, here the CPU one). */
class CallableDeviceMetricTest {

    @Test
    void deviceMetricsAccumulateAcrossCallsAndReset() {
        Metric mse = Metric.of("mse");
        mse.updateState(new FloatMatrix(2, 1, new float[] {1f, 2f}), new FloatMatrix(2, 1, new float[] {1.5f, 0f}));
        mse.updateState(new FloatMatrix(1, 1, new float[] {3f}), new FloatMatrix(1, 1, new float[] {3f}));
        assertEquals((0.25 + 4 + 0) / 3, mse.result(), 1e-6);
        mse.resetState();
        mse.updateState(new FloatMatrix(1, 1, new float[] {0f}), new FloatMatrix(1, 1, new float[] {2f}));
        assertEquals(4.0, mse.result(), 1e-6);

        // Without a loss, "accuracy" is categorical for several outputs: argmax 1 vs 1, then 0 vs 2.
        Metric acc = Metric.of("accuracy");
        acc.updateState(new FloatMatrix(2, 3, new float[] {0, 1, 0, 0, 0, 1}),
                new FloatMatrix(2, 3, new float[] {0.1f, 0.8f, 0.1f, 0.7f, 0.2f, 0.1f}));
        assertEquals(0.5, acc.result(), 1e-9);
        assertThrows(UnsupportedOperationException.class, () -> acc.updateState(
                new FloatMatrix(1, 3, new float[3]), new FloatMatrix(1, 3, new float[3]), new float[] {1f}));
        assertThrows(IllegalArgumentException.class, () -> acc.updateState(
                new FloatMatrix(1, 2, new float[2]), new FloatMatrix(1, 2, new float[2])));
    }
}
