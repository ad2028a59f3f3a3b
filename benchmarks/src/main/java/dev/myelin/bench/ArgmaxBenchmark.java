package dev.myelin.bench;

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

/** The per-row argmax that scores predictions; the report counts the input's bytes read. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseTransparentHugePages"})
public class ArgmaxBenchmark extends BackendBenchmark {

    @Param({"4096x1024"})
    public String size;

    private Tensor x;
    private Tensor index;

    @Override
    protected void prepare() {
        int[] d = dims("size", size);
        x = b.tensor(d[0], d[1]);
        b.randomFill(x, Distribution.NORMAL, 0f, 1f, 9);
        index = b.tensor(d[0], 1);
    }

    @Benchmark
    public void argmax() {
        b.argmax(x, index);
        b.synchronize();
    }
}
