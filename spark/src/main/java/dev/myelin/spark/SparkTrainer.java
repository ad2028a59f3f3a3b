package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Gradients;
import dev.myelin.nn.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Synchronous data-parallel training of a local {@link Sequential} on a Spark DataFrame.
 *
 * <p><b>Exact mode</b> (the default): each step is one Spark job, a {@code treeAggregate} over the
 * persisted data blocks in which every partition computes the batch-mean loss and gradients of its share of
 * the step's global batch on a private replica; the driver divides the row-weighted sum by the step's rows
 * and takes one optimizer step ({@code applyGradients}) on the local model. The result equals training on
 * the concatenated batches locally up to float summation order (bit for bit with one partition). Dropout
 * masks are keyed by a row's position in the step's global batch, so they do not depend on the split.
 * A failed task is simply retried by Spark: it recomputes the same gradient from the same block, weights
 * and plan. Each step costs a job's latency (tens of milliseconds locally, more on a cluster), so this pays
 * when one step's compute is large: global batches of thousands of rows.
 *
 * <p><b>Parameter averaging</b> ({@link #averageEvery(int)} {@code n > 0}): one job per {@code n} steps;
 * each partition trains its replica (weights and optimizer state from the driver) on its own share of those
 * steps with {@code trainOnBatch}, and the driver sets the row-weighted average of the weights and optimizer
 * state. This is not the same computation as local training (each partition steps on a smaller batch and
 * the replicas drift apart between syncs); with one partition it equals local training exactly.
 *
 * <p>Checkpoints ({@link #checkpoint(String, int)}) write the weights and optimizer state every K steps.
 */
public final class SparkTrainer {

    private final SparkSession spark;
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private int averageEvery;
    private String checkpointDir;
    private int checkpointEvery;
    private String backend = "cpu";
    private int treeDepth = 2;

    /** A trainer that runs its jobs on {@code spark}. */
    public SparkTrainer(SparkSession spark) {
        this.spark = Objects.requireNonNull(spark, "SparkTrainer: argument 'spark' is null");
    }

    /** Epochs to train (default 1). */
    public SparkTrainer epochs(int epochs) {
        this.epochs = positive("epochs", epochs);
        return this;
    }

    /** The global batch size: rows per step over all partitions (default 32). */
    public SparkTrainer batchSize(int batchSize) {
        this.batchSize = positive("batchSize", batchSize);
        return this;
    }

    /** Whether each epoch visits every partition's rows in a seeded random order (default true). */
    public SparkTrainer shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** Parameter averaging every {@code steps} local steps; 0 (the default) is the exact gradient mode. */
    public SparkTrainer averageEvery(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("averageEvery: argument 'steps' must be >= 0, got " + steps);
        }
        this.averageEvery = steps;
        return this;
    }

    /** Writes a checkpoint under {@code dir} (any Hadoop file system path) every {@code everySteps} steps. */
    public SparkTrainer checkpoint(String dir, int everySteps) {
        this.checkpointDir = Objects.requireNonNull(dir, "checkpoint: argument 'dir' is null");
        this.checkpointEvery = positive("everySteps", everySteps);
        return this;
    }

    /** The backend each task opens privately (default {@code cpu}). */
    public SparkTrainer backend(String name) {
        this.backend = Objects.requireNonNull(name, "backend: argument 'name' is null");
        return this;
    }

    /** The depth of each step's {@code treeAggregate} (default 2). */
    public SparkTrainer treeDepth(int depth) {
        this.treeDepth = positive("depth", depth);
        return this;
    }

    /**
     * Trains {@code model} (built from {@code spec}, compiled; its current weights and optimizer state are the
     * start) on the {@code featuresCol} and {@code labelCol} of {@code data}, one partition per task.
     */
    public TrainingSummary fit(Sequential model, ModelSpec spec, Dataset<Row> data, String featuresCol,
            String labelCol) {
        Objects.requireNonNull(model, "fit: argument 'model' is null");
        Objects.requireNonNull(spec, "fit: argument 'spec' is null");
        Objects.requireNonNull(data, "fit: argument 'data' is null");
        if (!spec.compiled() || !model.isCompiled()) {
            throw new IllegalArgumentException("fit: the model and its spec must be compiled (optimizer and loss)");
        }
        if (model.inputSize() != spec.inputs() || model.outputSize() != spec.outputs()) {
            throw new IllegalArgumentException("fit: the model has " + model.inputSize() + " inputs and "
                    + model.outputSize() + " outputs, the spec " + spec.inputs() + " and " + spec.outputs());
        }
        try (TrainingBlocks blocks = TrainingBlocks.pack(data, featuresCol, labelCol, spec)) {
            StepPlan plan = new StepPlan(blocks.partitionRows(), batchSize, spec.seed(), shuffle);
            return averageEvery > 0 ? new ParameterAveraging(this, model, spec, blocks, plan).run()
                    : runExact(model, spec, blocks, plan);
        }
    }

    private TrainingSummary runExact(Sequential model, ModelSpec spec, TrainingBlocks blocks, StepPlan plan) {
        LinkedHashMap<String, FloatMatrix> shapes = model.namedWeights();
        List<Double> epochLosses = new ArrayList<>();
        List<Double> stepMillis = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            double lossSum = 0;
            for (int step = 0; step < plan.steps(); step++) {
                long started = System.nanoTime();
                long before = model.iterations();
                Gradients g = exactStep(model, spec, blocks, plan, epoch, step, shapes, backend, treeDepth);
                lossSum += g.loss() * g.rows();
                stepMillis.add((System.nanoTime() - started) / 1e6);
                maybeCheckpoint(model, before, epoch, step);
            }
            epochLosses.add(lossSum / plan.totalRows());
        }
        return new TrainingSummary(epochLosses, stepMillis);
    }

    /**
     * One exact step: a {@code treeAggregate} job for the step's gradient sums, then one optimizer step on
     * the driver with their row-weighted mean, which it returns. {@code shapes} names the weights in order.
     */
    static Gradients exactStep(Sequential model, ModelSpec spec, TrainingBlocks blocks, StepPlan plan, int epoch,
            int step, Map<String, FloatMatrix> shapes, String backend, int depth) {
        StepTask task = new StepTask(spec, WeightBytes.encode(model.namedWeights()), plan, epoch, step,
                model.iterations(), backend);
        double[] sum = blocks.rdd().treeAggregate(new double[0], task, WeightedSum::add, depth);
        Gradients g = new Gradients(WeightedSum.means(sum, shapes), WeightedSum.meanLoss(sum), WeightedSum.rows(sum));
        model.applyGradients(g);
        return g;
    }

    /** Writes a checkpoint when the steps since {@code before} crossed a multiple of the checkpoint interval. */
    void maybeCheckpoint(Sequential model, long before, int epoch, int step) {
        if (checkpointDir != null && model.iterations() / checkpointEvery > before / checkpointEvery) {
            Checkpoints.write(spark.sparkContext().hadoopConfiguration(), checkpointDir, model, epoch, step);
        }
    }

    int epochs() {
        return epochs;
    }

    int averageEverySteps() {
        return averageEvery;
    }

    String backendName() {
        return backend;
    }

    int depth() {
        return treeDepth;
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("argument '" + name + "' must be >= 1, got " + v);
        }
        return v;
    }
}
