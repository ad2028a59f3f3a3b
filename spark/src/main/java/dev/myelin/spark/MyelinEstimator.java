package dev.myelin.spark;

import dev.myelin.cpu.CpuBackend;
import dev.myelin.nn.Sequential;
import java.util.Objects;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Data-parallel training as a Spark ML {@link Estimator}: {@code fit} builds the spec's model on the driver
 * (its seeded initial weights), trains it with {@link SparkTrainer} and returns a {@link MyelinModel} that
 * reads the same features column. Params: featuresCol, labelCol, epochs, batchSize (global), averageEvery
 * (0: exact gradient mode), checkpointDir and checkpointEvery, backend.
 */
public final class MyelinEstimator extends Estimator<MyelinModel> {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final ModelSpec spec;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam averageEvery;
    private final Param<String> checkpointDir;
    private final IntParam checkpointEvery;
    private final Param<String> backend;

    /** An estimator of {@code spec} (compiled) with a generated uid. */
    public MyelinEstimator(ModelSpec spec) {
        this(Identifiable$.MODULE$.randomUID("myelinEstimator"), spec);
    }

    /** An estimator of {@code spec} with the given uid. */
    public MyelinEstimator(String uid, ModelSpec spec) {
        this.uid = Objects.requireNonNull(uid, "MyelinEstimator: argument 'uid' is null");
        this.spec = Objects.requireNonNull(spec, "MyelinEstimator: argument 'spec' is null");
        if (!spec.compiled()) {
            throw new IllegalArgumentException("MyelinEstimator: argument 'spec' must be compiled, got " + spec);
        }
        featuresCol = new Param<>(this, "featuresCol", "features column: Vector, array<float> or array<double>");
        labelCol = new Param<>(this, "labelCol", "label column: a number (class index, target) or a Vector/array");
        epochs = new IntParam(this, "epochs", "epochs to train (>= 1)", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "global batch size over all partitions (>= 1)",
                ParamValidators.gtEq(1));
        averageEvery = new IntParam(this, "averageEvery", "parameter averaging every n local steps; 0 = exact"
                + " gradient mode", ParamValidators.gtEq(0));
        checkpointDir = new Param<>(this, "checkpointDir", "where checkpoints go (empty: none)");
        checkpointEvery = new IntParam(this, "checkpointEvery", "steps between checkpoints (>= 1)",
                ParamValidators.gtEq(1));
        backend = new Param<>(this, "backend", "Myelin backend of each task's private instance");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(epochs, (Object) 1);
        setDefault(batchSize, (Object) 32);
        setDefault(averageEvery, (Object) 0);
        setDefault(checkpointDir, "");
        setDefault(checkpointEvery, (Object) 100);
        setDefault(backend, "cpu");
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The model being trained. */
    public ModelSpec spec() {
        return spec;
    }

    /** The features column. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** The label column. */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** Epochs to train. */
    public IntParam epochs() {
        return epochs;
    }

    /** Rows per step over all partitions. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Local steps between parameter averages; 0 for exact gradient mode. */
    public IntParam averageEvery() {
        return averageEvery;
    }

    /** Where checkpoints are written; empty for none. */
    public Param<String> checkpointDir() {
        return checkpointDir;
    }

    /** Steps between checkpoints. */
    public IntParam checkpointEvery() {
        return checkpointEvery;
    }

    /** The backend each task opens privately. */
    public Param<String> backend() {
        return backend;
    }

    /** Sets {@link #featuresCol()}. */
    public MyelinEstimator setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    /** Sets {@link #labelCol()}. */
    public MyelinEstimator setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }

    /** Sets {@link #epochs()}. */
    public MyelinEstimator setEpochs(int v) {
        set(epochs, (Object) v);
        return this;
    }

    /** Sets {@link #batchSize()}. */
    public MyelinEstimator setBatchSize(int v) {
        set(batchSize, (Object) v);
        return this;
    }

    /** Sets {@link #averageEvery()}. */
    public MyelinEstimator setAverageEvery(int v) {
        set(averageEvery, (Object) v);
        return this;
    }

    /** Sets {@link #checkpointDir()} and {@link #checkpointEvery()}. */
    public MyelinEstimator setCheckpoint(String dir, int everySteps) {
        set(checkpointDir, dir);
        set(checkpointEvery, (Object) everySteps);
        return this;
    }

    /** Sets {@link #backend()}. */
    public MyelinEstimator setBackend(String v) {
        set(backend, v);
        return this;
    }

    @Override
    public MyelinModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkTrainer trainer = new SparkTrainer(dataset.sparkSession()).epochs((Integer) $(epochs))
                .batchSize((Integer) $(batchSize)).averageEvery((Integer) $(averageEvery)).backend($(backend));
        if (!$(checkpointDir).isEmpty()) {
            trainer.checkpoint($(checkpointDir), (Integer) $(checkpointEvery));
        }
        try (CpuBackend driverBackend = new CpuBackend(); Sequential model = spec.build(driverBackend)) {
            trainer.fit(model, spec, dataset.toDF(), $(featuresCol), $(labelCol));
            MyelinModel fitted = MyelinModel.fromLocal(spec, model).setFeaturesCol($(featuresCol));
            fitted.setParent(this);
            return fitted;
        }
    }

    /** The schema the fitted model's {@code transform} gives: its default prediction and output columns added. */
    @Override
    public StructType transformSchema(StructType schema) {
        NumericColumn.check(schema, "labelCol", $(labelCol));
        return MyelinModel.outputSchema(schema, $(featuresCol), MyelinModel.PREDICTION,
                MyelinModel.PROBABILITY);
    }

    @Override
    public MyelinEstimator copy(ParamMap extra) {
        return copyValues(new MyelinEstimator(uid, spec), extra);
    }
}
