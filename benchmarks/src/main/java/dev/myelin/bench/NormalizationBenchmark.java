package dev.myelin.bench;

import dev.myelin.spi.Axis;
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
 * The three normalization ops of a training step, per column (batch normalization) and per row (layer
 * normalization): the batch statistics, the normalization with gamma and beta, and the backward pass through
 * batch statistics with both parameter gradients. 128x512 is a dense layer's batch that stays in the L2
 * cache; 4096x1024 streams from L3 or memory. The report counts the tensors each call reads and writes once
 * (see {@link Workloads}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseTransparentHugePages"})
public class NormalizationBenchmark extends BackendBenchmark {

    /** Keras's BatchNormalization and LayerNormalization default. */
    private static final float EPSILON = 1e-3f;

    /** PER_COLUMN: batch normalization; PER_ROW: layer normalization. */
    @Param({"PER_COLUMN", "PER_ROW"})
    public Axis axis;

    /** Rows (the batch) x columns (the features). */
    @Param({"128x512", "4096x1024"})
    public String size;

    private Tensor x;
    private Tensor mean;
    private Tensor variance;
    private Tensor gamma;
    private Tensor beta;
    private Tensor y;
    private Tensor dy;
    private Tensor dgamma;
    private Tensor dbeta;
    private Tensor dx;

    @Override
    protected void prepare() {
        int[] d = dims("size", size);
        x = b.tensor(d[0], d[1]);
        b.randomFill(x, Distribution.NORMAL, 1f, 2f, 21);
        dy = b.tensor(d[0], d[1]);
        b.randomFill(dy, Distribution.NORMAL, 0f, 1f, 22);
        gamma = b.tensor(1, d[1]);
        b.randomFill(gamma, Distribution.UNIFORM, 0.5f, 1.5f, 23);
        beta = b.tensor(1, d[1]);
        b.randomFill(beta, Distribution.UNIFORM, -1f, 1f, 24);
        mean = b.tensor(axis.outputShape(x.shape()));
        variance = b.tensor(axis.outputShape(x.shape()));
        b.moments(axis, x, mean, variance);
        y = b.tensor(d[0], d[1]);
        dgamma = b.tensor(1, d[1]);
        dbeta = b.tensor(1, d[1]);
        dx = b.tensor(d[0], d[1]);
    }

    /** The mean and variance of x along the axis. */
    @Benchmark
    public void moments() {
        b.moments(axis, x, mean, variance);
        b.synchronize();
    }

    /** {@code y = (x - mean) / sqrt(variance + epsilon) * gamma + beta}. */
    @Benchmark
    public void normalize() {
        b.normalize(axis, EPSILON, 0f, x, mean, variance, gamma, beta, y);
        b.synchronize();
    }

    /** dx through the batch statistics, with dgamma and dbeta. */
    @Benchmark
    public void backward() {
        b.normalizeBackward(axis, true, EPSILON, 0f, x, mean, variance, gamma, dy, dgamma, dbeta, dx);
        b.synchronize();
    }
}
