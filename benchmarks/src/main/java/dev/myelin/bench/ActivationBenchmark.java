package dev.myelin.bench;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.Tensor;
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
 * Every activation's forward pass {@code y = f(x)} and backward pass {@code dx = dy * f'(y)} on one
 * tensor; the report counts 2 tensors of bytes for the forward pass and 3 for the backward one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseTransparentHugePages"})
public class ActivationBenchmark extends BackendBenchmark {

    @Param({"linear", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus", "softsign",
            "exponential"})
    public String activation;

    @Param({"4096x1024"})
    public String size;

    private Activation f;
    private float alpha;
    private Tensor x;
    private Tensor y;
    private Tensor dy;
    private Tensor dx;

    @Override
    protected void prepare() {
        f = Activation.fromName(activation);
        alpha = f.defaultAlpha();
        int[] d = dims("size", size);
        x = b.tensor(d[0], d[1]);
        y = b.tensor(d[0], d[1]);
        dy = b.tensor(d[0], d[1]);
        dx = b.tensor(d[0], d[1]);
        b.randomFill(x, Distribution.NORMAL, 0f, 1f, 4);
        b.randomFill(dy, Distribution.NORMAL, 0f, 1f, 5);
        b.activation(f, alpha, x, y);
    }

    @Benchmark
    public void forward() {
        b.activation(f, alpha, x, y);
        b.synchronize();
    }

    @Benchmark
    public void backward() {
        b.activationBackward(f, alpha, y, dy, dx);
        b.synchronize();
    }
}
