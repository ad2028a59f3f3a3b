package dev.myelin.bench;

import dev.myelin.spi.Distribution;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One fused optimizer step per rule on a parameter tensor the size of the wide net's first kernel
 * (784x512). The report counts w, g and the slots read, w and the slots written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseTransparentHugePages"})
public class OptimizerBenchmark extends BackendBenchmark {

    @Param({"SGD", "MOMENTUM", "NESTEROV", "RMSPROP", "ADAGRAD", "ADADELTA", "ADAM", "ADAMAX", "NADAM"})
    public UpdateRule rule;

    @Param({"784x512"})
    public String size;

    private float[] c;
    private Tensor w;
    private Tensor g;
    private Tensor[] slots;

    @Override
    protected void prepare() {
        int[] d = dims("size", size);
        w = b.tensor(d[0], d[1]);
        g = b.tensor(d[0], d[1]);
        b.randomFill(w, Distribution.UNIFORM, -0.05f, 0.05f, 7);
        b.randomFill(g, Distribution.NORMAL, 0f, 1e-3f, 8);
        slots = new Tensor[rule.slots()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = b.tensor(d[0], d[1]);
            b.fill(slots[i], 0f);
        }
        c = coefficients(rule);
    }

    /**
     * Keras 3 defaults at step 1 (lr 0.001, beta1 0.9, beta2 0.999, eps 1e-7, rho 0.9 / 0.95); the
     * values only need to be realistic, a step's cost does not depend on them.
     */
    static float[] coefficients(UpdateRule rule) {
        float lr = 1e-3f;
        float b1 = 0.9f;
        float b2 = 0.999f;
        float eps = 1e-7f;
        return switch (rule) {
            case SGD -> new float[] {lr};
            case MOMENTUM, NESTEROV -> new float[] {lr, 0.9f};
            case RMSPROP -> new float[] {lr, 0.9f, eps, 0f, 0f};
            case ADAGRAD -> new float[] {lr, eps};
            case ADADELTA -> new float[] {lr, 0.95f, eps};
            case ADAM, AMSGRAD -> new float[] {(float) (lr * Math.sqrt(1 - b2) / (1 - b1)), b1, b2, eps};
            case ADAMAX -> new float[] {lr / (1 - b1), b1, b2, eps};
            case NADAM -> new float[] {lr, b1, b2, eps, 0.5f, 0.5f, 1f / (1 - b2)};
        };
    }

    @Benchmark
    public void update() {
        b.optimizerUpdate(rule, c, 0f, 0f, w, g, slots);
        b.synchronize();
    }
}
