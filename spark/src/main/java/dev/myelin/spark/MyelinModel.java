package dev.myelin.spark;

import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Myelin model as a Spark ML {@link Model}: scores a DataFrame partition by partition, each task on its
 * own replica of the model with its own backend instance. It appends {@code predictionCol} (the index of
 * the largest output for several outputs, the output itself for one) and {@code probabilityCol} (the
 * model's output vector, float32 values widened to double); an empty column name leaves that column out.
 * Row order and count are kept. It saves and loads alone or inside a {@code PipelineModel}: Spark's
 * metadata plus the spec as JSON and the weights as a safetensors file.
 */
public final class MyelinModel extends Model<MyelinModel> implements MLWritable {

    private static final long serialVersionUID = 1L;
    /** The default prediction column. */
    static final String PREDICTION = "prediction";
    /** The default output-vector column. */
    static final String PROBABILITY = "probability";

    private final String uid;
    private final ModelBlob blob;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final IntParam batchSize;
    private final Param<String> backend;

    /** A model with a generated uid. */
    public MyelinModel(ModelBlob blob) {
        this(Identifiable$.MODULE$.randomUID("myelin"), blob);
    }

    /** A model with the given uid (used by copy and load). */
    public MyelinModel(String uid, ModelBlob blob) {
        this.uid = Objects.requireNonNull(uid, "MyelinModel: argument 'uid' is null");
        this.blob = Objects.requireNonNull(blob, "MyelinModel: argument 'blob' is null");
        featuresCol = new Param<>(this, "featuresCol", "features column: Vector, array<float> or array<double>");
        predictionCol = new Param<>(this, "predictionCol", "prediction column (empty: none)");
        probabilityCol = new Param<>(this, "probabilityCol", "output-vector column (empty: none)");
        batchSize = new IntParam(this, "batchSize", "rows per predict call (>= 1)", ParamValidators.gtEq(1));
        backend = new Param<>(this, "backend", "Myelin backend name of each task's private instance: cpu, opencl, cuda");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, PREDICTION);
        setDefault(probabilityCol, PROBABILITY);
        setDefault(batchSize, (Object) 256);
        setDefault(backend, "cpu");
    }

    /** A model of {@code spec} with the current weights of {@code model} (built from that spec). */
    public static MyelinModel fromLocal(ModelSpec spec, Sequential model) {
        return new MyelinModel(ModelBlob.of(spec, model));
    }

    /** A new local model on {@code backend} with this model's architecture and weights; the caller closes it. */
    public Sequential toLocal(Backend backend) {
        return blob.materialize(backend);
    }

    /** The spec and weights this model scores with. */
    public ModelBlob blob() {
        return blob;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The features column: a Vector, array&lt;float&gt; or array&lt;double&gt; of the model's input width. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** The column for the prediction (a double); empty for none. */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** The column for the model's output vector; empty for none. */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** Rows per predict call on a task's replica. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** The backend each task opens privately ({@code cpu}, {@code opencl}, {@code cuda}). */
    public Param<String> backend() {
        return backend;
    }

    /** Sets {@link #featuresCol()}. */
    public MyelinModel setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    /** Sets {@link #predictionCol()}. */
    public MyelinModel setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    /** Sets {@link #probabilityCol()}. */
    public MyelinModel setProbabilityCol(String v) {
        set(probabilityCol, v);
        return this;
    }

    /** Sets {@link #batchSize()}. */
    public MyelinModel setBatchSize(int v) {
        set(batchSize, (Object) v);
        return this;
    }

    /** Sets {@link #backend()}. */
    public MyelinModel setBackend(String v) {
        set(backend, v);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return outputSchema(schema, $(featuresCol), $(predictionCol), $(probabilityCol));
    }

    /** {@code schema} checked for the features column, with the prediction and output columns appended. */
    static StructType outputSchema(StructType schema, String featuresCol, String predictionCol,
            String probabilityCol) {
        NumericColumn.check(schema, "featuresCol", featuresCol);
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        for (String col : List.of(predictionCol, probabilityCol)) {
            if (!col.isEmpty() && List.of(schema.fieldNames()).contains(col)) {
                throw new IllegalArgumentException("MyelinModel: output column '" + col + "' already exists in "
                        + schema.simpleString());
            }
        }
        if (!predictionCol.isEmpty()) {
            fields.add(DataTypes.createStructField(predictionCol, DataTypes.DoubleType, false));
        }
        if (!probabilityCol.isEmpty()) {
            fields.add(DataTypes.createStructField(probabilityCol, SQLDataTypes.VectorType(), false));
        }
        return DataTypes.createStructType(fields);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> df = dataset.toDF();
        NumericColumn features = NumericColumn.of(df.schema(), "featuresCol", $(featuresCol), blob.spec().inputs());
        Scorer scorer = new Scorer(blob, $(backend), features, (Integer) $(batchSize), !$(predictionCol).isEmpty(),
                !$(probabilityCol).isEmpty());
        JavaRDD<Row> scored = df.javaRDD().mapPartitions(scorer);
        return df.sparkSession().createDataFrame(scored, out);
    }

    @Override
    public MyelinModel copy(ParamMap extra) {
        MyelinModel m = copyValues(new MyelinModel(uid, blob), extra);
        return m.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new MyelinModelIO.Writer(this);
    }

    /** The reader {@code PipelineModel.load} finds by reflection. */
    public static MLReader<MyelinModel> read() {
        return new MyelinModelIO.Reader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static MyelinModel load(String path) {
        return read().load(path);
    }
}
