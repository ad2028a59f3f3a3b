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

/**
 * {@code C = A·B} in float32 (alpha 1, beta 0). The report turns the time per call into
 * GFLOP/s = 2 m n k / seconds. Square sizes, then the GEMMs of a dense layer at batch 128:
 * forward {@code X·W}, weight gradient {@code dW = Xᵀ·dY} (A stored transposed) and input gradient
 * {@code dX = dY·Wᵀ} (B stored transposed), for the 784→256 and 256→128 layers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseTransparentHugePages"})
public class SgemmBenchmark extends BackendBenchmark {

    @Param({"128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "4096x4096x4096",
            "1024x1024x1024:TN", "1024x1024x1024:NT", "1024x1024x1024:TT",
            "128x784x256", "784x128x256:TN", "128x256x784:NT",
            "128x256x128", "256x128x128:TN", "128x128x256:NT"})
    public String shape;

    private Tensor a;
    private Tensor bm;
    private Tensor c;
    private GemmShape g;

    @Override
    protected void prepare() {
        g = GemmShape.parse(shape);
        a = b.tensor(g.aRows(), g.aCols());
        bm = b.tensor(g.bRows(), g.bCols());
        c = b.tensor(g.m(), g.n());
        b.randomFill(a, Distribution.NORMAL, 0f, 1f, 1);
        b.randomFill(bm, Distribution.NORMAL, 0f, 1f, 2);
        b.fill(c, 0f);
    }

    @Benchmark
    public void gemm() {
        b.gemm(g.transA(), g.transB(), 1f, a, bm, 0f, c);
        b.synchronize();
    }
}
