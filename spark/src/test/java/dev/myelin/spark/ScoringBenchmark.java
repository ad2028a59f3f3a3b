package dev.myelin.spark;

import dev.myelin.cpu.CpuBackend;
import dev.myelin.nn.Sequential;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch scoring throughput in rows per second: a 784-512-256-10 network over 65,536 cached rows of
 * {@code array<float>} in 4 partitions, on {@code local[1]} against {@code local[2]} (one task thread, one
 * CPU backend thread each). Each fork is a fresh JVM with one session.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class ScoringBenchmark {

    static final int ROWS = 65_536;

    /** Spark's local master. */
    @Param({"local[1]", "local[2]"})
    public String master;

    private SparkSession spark;
    private Dataset<Row> data;
    private MyelinModel model;

    /** Starts the session, caches the rows and builds the model. */
    @Setup(Level.Trial)
    public void setUp() {
        spark = LocalSpark.start(master, "scoring-benchmark");
        // Features from a hash of (row, column): the same rows in every fork, generated once and cached.
        data = spark.range(0, ROWS, 1, 4).select(functions.transform(functions.array_repeat(functions.lit(0f), 784),
                (v, j) -> functions.pmod(functions.hash(functions.col("id"), j), functions.lit(1000))
                        .cast("float").divide(1000f).cast("float")).as("features")).cache();
        data.count();
        ModelSpec spec = ModelSpec.input(784).dense(512, "relu").dense(256, "relu").dense(10, "softmax").seed(3);
        try (CpuBackend b = new CpuBackend(1); Sequential m = spec.build(b)) {
            model = MyelinModel.fromLocal(spec, m).setBatchSize(256).setPredictionCol("");
        }
    }

    /** Stops the session. */
    @TearDown(Level.Trial)
    public void tearDown() {
        spark.stop();
    }

    /** Scores every row once. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long score() {
        return model.transform(data).rdd().count();
    }
}
