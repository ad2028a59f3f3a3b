package dev.myelin.bench;

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
 * Reductions over all elements, per row and per column (the bias gradient is a per-column sum).
 * The report counts the input's bytes read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseTransparentHugePages"})
public class ReductionBenchmark extends BackendBenchmark {

    @Param({"SUM", "MEAN", "MAX", "MIN", "SUM_ABS", "SUM_SQUARES"})
    public Reduction reduction;

    @Param({"ALL", "PER_ROW", "PER_COLUMN"})
    public Axis axis;

    @Param({"4096x1024"})
    public String size;

    private Tensor x;
    private Tensor out;

    @Override
    protected void prepare() {
        int[] d = dims("size", size);
        x = b.tensor(d[0], d[1]);
        b.randomFill(x, Distribution.NORMAL, 0f, 1f, 6);
        out = b.tensor(axis.outputShape(x.shape()));
    }

    @Benchmark
    public void reduce() {
        b.reduce(reduction, axis, x, out);
        b.synchronize();
    }
}
