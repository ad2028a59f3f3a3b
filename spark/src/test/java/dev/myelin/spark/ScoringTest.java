package dev.myelin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cpu.CpuBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch scoring against local predict, bit for bit, and Pipeline save/load. */
class ScoringTest {

    static final ModelSpec SPEC = ModelSpec.input(6).dense(16, "relu").dense(8, "tanh").dense(3, "softmax")
            .compile("adam", 0.01f, "sparse_categorical_crossentropy").seed(11);

    static FloatMatrix randomRows(int n, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[n * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return new FloatMatrix(n, cols, d);
    }

    /** Rows of (id, features vector), placed in partitions of the given sizes (in order). */
    static Dataset<Row> vectorFrame(SparkSession s, FloatMatrix x, int... partitionSizes) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            double[] d = new double[x.cols()];
            for (int j = 0; j < d.length; j++) {
                d[j] = x.get(i, j);
            }
            rows.add(RowFactory.create(i, Vectors.dense(d)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features",
                org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
        return s.createDataFrame(Partitions.uneven(s, rows, partitionSizes), schema);
    }

    static float[] outputs(List<Row> rows, String col) {
        int w = ((Vector) rows.get(0).getAs(col)).size();
        float[] out = new float[rows.size() * w];
        for (int i = 0; i < rows.size(); i++) {
            double[] v = ((Vector) rows.get(i).getAs(col)).toArray();
            for (int j = 0; j < w; j++) {
                out[i * w + j] = (float) v[j];
            }
        }
        return out;
    }

    /**
     * What {@code Sequential.predict(rows, batchSize)} gives for each partition's rows, concatenated: the CPU
     * kernels' last bits of a row depend on the row count of the batch it is computed in, so the reference
     * predicts the same rows in the same batches as the tasks do.
     */
    static FloatMatrix predictPerPartition(Sequential local, FloatMatrix x, int batchSize, int... sizes) {
        float[] out = new float[x.rows() * local.outputSize()];
        int start = 0;
        for (int n : sizes) {
            if (n > 0) {
                FloatMatrix p = local.predict(x.rowRange(start, start + n), batchSize);
                System.arraycopy(p.data(), 0, out, start * local.outputSize(), p.data().length);
            }
            start += n;
        }
        return new FloatMatrix(x.rows(), local.outputSize(), out);
    }

    @Test
    void scoringOnFourUnevenPartitionsEqualsLocalPredictBitForBit() {
        SparkSession s = TestSpark.session();
        FloatMatrix x = randomRows(203, 6, 1);
        int[] sizes = {90, 0, 13, 100};
        try (CpuBackend b = new CpuBackend(1); Sequential local = SPEC.build(b)) {
            FloatMatrix expected = predictPerPartition(local, x, 17, sizes);
            MyelinModel model = MyelinModel.fromLocal(SPEC, local).setBatchSize(17);
            Dataset<Row> df = vectorFrame(s, x, sizes);
            assertEquals(4, df.javaRDD().getNumPartitions());
            int before = Replica.opened();
            List<Row> rows = model.transform(df).collectAsList();
            assertEquals(203, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(i, rows.get(i).getInt(0), "row order");
            }
            assertArrayEquals(expected.data(), outputs(rows, "probability"), 0f);
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(Scorer.prediction(expected.row(i)), rows.get(i).getDouble(2));
            }
            assertEquals(3, Replica.opened() - before, "one replica per non-empty partition's task");
            assertEquals(0, Replica.inUse(), "every replica closed after the job");
            assertEquals(0, Replica.leakedTensors(), "no tensor left live on a replica's backend");
        }
    }

    @Test
    void floatArrayFeaturesScoreLikeVectors() {
        SparkSession s = TestSpark.session();
        FloatMatrix x = randomRows(40, 6, 2);
        try (CpuBackend b = new CpuBackend(1); Sequential local = SPEC.build(b)) {
            FloatMatrix expected = predictPerPartition(local, x, 256, 15, 25);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < x.rows(); i++) {
                Float[] r = new Float[6];
                for (int j = 0; j < 6; j++) {
                    r[j] = x.get(i, j);
                }
                rows.add(RowFactory.create((Object) r));
            }
            StructType schema = new StructType().add("f", DataTypes.createArrayType(DataTypes.FloatType, false));
            Dataset<Row> df = s.createDataFrame(Partitions.uneven(s, rows, 15, 25), schema);
            MyelinModel model = MyelinModel.fromLocal(SPEC, local).setFeaturesCol("f").setPredictionCol("");
            List<Row> out = model.transform(df).collectAsList();
            assertEquals(2, out.get(0).length());
            assertArrayEquals(expected.data(), outputs(out, "probability"), 0f);
        }
    }

    @Test
    void pipelineSavesAndLoadsAndPredictsIdentically(@TempDir Path dir) throws Exception {
        SparkSession s = TestSpark.session();
        FloatMatrix x = randomRows(50, 6, 3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            Object[] v = new Object[6];
            for (int j = 0; j < 6; j++) {
                v[j] = (double) x.get(i, j);
            }
            rows.add(RowFactory.create(v));
        }
        StructType schema = new StructType();
        for (int j = 0; j < 6; j++) {
            schema = schema.add("c" + j, DataTypes.DoubleType);
        }
        Dataset<Row> df = s.createDataFrame(Partitions.uneven(s, rows, 20, 30), schema);
        try (CpuBackend b = new CpuBackend(1); Sequential local = SPEC.build(b)) {
            VectorAssembler assembler = new VectorAssembler()
                    .setInputCols(new String[] {"c0", "c1", "c2", "c3", "c4", "c5"}).setOutputCol("features");
            MyelinModel model = MyelinModel.fromLocal(SPEC, local).setBatchSize(7).setProbabilityCol("out");
            PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler, model}).fit(df);
            float[] before = outputs(fitted.transform(df).collectAsList(), "out");
            assertArrayEquals(predictPerPartition(local, x, 7, 20, 30).data(), before, 0f);

            String path = dir.resolve("pipeline").toString();
            fitted.write().overwrite().save(path);
            PipelineModel loaded = PipelineModel.load(path);
            float[] after = outputs(loaded.transform(df).collectAsList(), "out");
            assertArrayEquals(before, after, 0f);

            MyelinModel reloaded = (MyelinModel) loaded.stages()[1];
            assertEquals(model.uid(), reloaded.uid());
            assertEquals(7, (Integer) reloaded.getOrDefault(reloaded.batchSize()));
            assertEquals("out", reloaded.getOrDefault(reloaded.probabilityCol()));
            Path weights = Path.of(path, "stages").toFile().listFiles(f -> f.getName().contains("myelin"))[0].toPath()
                    .resolve("data/weights.safetensors");
            assertTrue(Files.isRegularFile(weights));
            assertEquals(local.namedWeights(), dev.myelin.io.SafeTensors.read(weights));
        }
    }
}
