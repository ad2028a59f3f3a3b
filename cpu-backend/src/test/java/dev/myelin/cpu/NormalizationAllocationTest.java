package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.BatchNormalization;
import dev.myelin.nn.GaussianNoise;
import dev.myelin.nn.Layer;
import dev.myelin.nn.LayerNormalization;
import dev.myelin.nn.LayerSteps;
import dev.myelin.nn.Normalization;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Tensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The training step of the normalization layers allocates nothing on the heap once warm: their buffers live
 * in the frame, the kernels' scratch in the backend. Measured with the JVM's per-thread allocation counter on
 * a one-thread CPU backend (so every kernel runs on the measured thread), after a warm-up long enough for C2 to
 * compile the small kernels (before that, the Vector API's interpreted path boxes its vectors).
 */
class NormalizationAllocationTest {

    @Test
    void forwardAndBackwardAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int batch = 64;
        int n = 48;
        SplittableRandom r = new SplittableRandom(1);
        float[] xv = new float[batch * n];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = (float) r.nextGaussian();
        }
        List<Layer> layers = List.of(new Normalization().adapt(new FloatMatrix(batch, n, xv)),
                new BatchNormalization().epsilon(1e-3f).momentum(0.99f),
                new GaussianNoise(0.2f), new LayerNormalization().center(true).name("ln"));
        try (CpuBackend backend = new CpuBackend(1);
                Sequential model = Sequential.of(backend, layers.toArray(Layer[]::new))) {
            model.input(n).build(n);
            StringBuilder report = new StringBuilder();
            for (Layer layer : layers) {
                try (LayerSteps steps = new LayerSteps(layer, batch); Tensor x = backend.tensor(batch, n, xv);
                        Tensor dy = backend.tensor(batch, n, xv)) {
                    for (int i = 0; i < 20000; i++) {
                        steps.step(x, dy, i % 2 == 0, i);
                    }
                    long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 500; i++) {
                        steps.step(x, dy, i % 2 == 0, i);
                    }
                    long bytes = mx.getCurrentThreadAllocatedBytes() - before;
                    if (bytes >= 1024) {
                        report.append(layer.type()).append(" allocated ").append(bytes).append(" bytes in 500 steps; ");
                    }
                }
            }
            assertTrue(report.isEmpty(), report.toString());
        }
    }
}
