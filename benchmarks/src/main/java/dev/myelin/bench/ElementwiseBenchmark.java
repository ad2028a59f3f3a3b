package dev.myelin.bench;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.Reduction;
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
 * The memory-bound ops people compare first: relu, sigmoid, tanh, row softmax and a full sum, on a
 * 4096x1024 tensor (input plus output fit a large L3) and a 16384x1024 one (main-memory bound).
 * The report turns time into GB/s counting bytes read plus written: {@code 2 * n * 4} for the
 * activations and softmax (x read once, y written once), {@code n * 4} for the sum (the one-value
 * output is not counted). See {@link Workloads}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseTransparentHugePages"})
public class ElementwiseBenchmark extends BackendBenchmark {

    @Param({"relu", "sigmoid", "tanh", "softmax", "sum"})
    public String op;

    @Param({"4096x1024", "16384x1024"})
    public String size;

    private Runnable kernel;

    @Override
    protected void prepare() {
        int[] d = dims("size", size);
        Tensor x = b.tensor(d[0], d[1]);
        b.randomFill(x, Distribution.NORMAL, 0f, 1f, 3);
        kernel = switch (op) {
            case "relu", "sigmoid", "tanh" -> {
                Activation f = Activation.fromName(op);
                Tensor y = b.tensor(d[0], d[1]);
                yield () -> b.activation(f, 0f, x, y);
            }
            case "softmax" -> {
                Tensor y = b.tensor(d[0], d[1]);
                yield () -> b.softmax(x, y);
            }
            case "sum" -> {
                Tensor out = b.tensor(1, 1);
                yield () -> b.reduce(Reduction.SUM, Axis.ALL, x, out);
            }
            default -> throw new IllegalArgumentException("op: expected relu, sigmoid, tanh, softmax or sum, got '"
                    + op + "'");
        };
    }

    @Benchmark
    public void run() {
        kernel.run();
        b.synchronize();
    }
}
