package dev.myelin.spark;

import dev.myelin.cpu.CpuBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Milliseconds per exact distributed training step on {@code local[2]} (two partitions, a 256-256-10 Adam
 * network) against the same global batch trained locally by {@code trainOnBatch} on a two-thread CPU
 * backend; the difference is the step's fixed cost (a Spark job, the weights out, the gradients back,
 * a replica rebuilt per task). Run through {@link SparkBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
public class TrainingStepBenchmark {

    static final int FEATURES = 256;

    /** The global batch size. */
    @Param({"128", "16384"})
    public int batch;

    private SparkSession spark;
    private TrainingBlocks blocks;
    private StepPlan plan;
    private ModelSpec spec;
    private CpuBackend driverBackend;
    private Sequential distributed;
    private Sequential local;
    private Map<String, FloatMatrix> shapes;
    private FloatMatrix x;
    private FloatMatrix y;
    private int step;

    /** Starts {@code local[2]}, packs two partitions of {@code 2 x max(batch, 4096)} rows, builds the models. */
    @Setup(Level.Trial)
    public void setUp() {
        spark = LocalSpark.start("local[2]", "training-step-benchmark");
        int rows = 2 * Math.max(batch, 4096);
        SplittableRandom r = new SplittableRandom(5);
        float[] xs = new float[rows * FEATURES];
        float[] ys = new float[rows];
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double[] f = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                xs[i * FEATURES + j] = (float) (f[j] = r.nextDouble());
            }
            ys[i] = r.nextInt(10);
            data.add(RowFactory.create(Vectors.dense(f), (double) ys[i]));
        }
        x = new FloatMatrix(rows, FEATURES, xs);
        y = new FloatMatrix(rows, 1, ys);
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label",
                DataTypes.DoubleType);
        spec = ModelSpec.input(FEATURES).dense(256, "relu").dense(10, "softmax")
                .compile("adam", 0.001f, "sparse_categorical_crossentropy").seed(1);
        blocks = TrainingBlocks.pack(spark.createDataFrame(data, schema).repartition(2), "features", "label", spec);
        plan = new StepPlan(blocks.partitionRows(), batch, spec.seed(), true);
        driverBackend = new CpuBackend(2);
        distributed = spec.build(driverBackend);
        local = spec.build(driverBackend);
        shapes = distributed.namedWeights();
    }

    /** Frees the models and stops the session. */
    @TearDown(Level.Trial)
    public void tearDown() {
        blocks.close();
        distributed.close();
        local.close();
        driverBackend.close();
        spark.stop();
    }

    /** One exact step over Spark: a job for the gradients, then the optimizer step on the driver. */
    @Benchmark
    public double sparkStep() {
        int s = step++ % plan.steps();
        return SparkTrainer.exactStep(distributed, spec, blocks, plan, 0, s, shapes, "cpu", 2).loss();
    }

    /** The same global batch trained in this JVM. */
    @Benchmark
    public double localStep() {
        int s = step++ % plan.steps();
        int from = s * batch;
        return local.trainOnBatch(x.rowRange(from, from + batch), y.rowRange(from, from + batch));
    }
}
