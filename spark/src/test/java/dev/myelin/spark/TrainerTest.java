package dev.myelin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cpu.CpuBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.io.SafeTensors;
import dev.myelin.nn.OptimizerState;
import dev.myelin.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distributed training against local trainOnBatch on the same batches. */
class TrainerTest {

    static final ModelSpec SPEC = ModelSpec.input(6).dense(16, "relu").dense(3, "softmax")
            .compile("adam", 0.01f, "sparse_categorical_crossentropy").seed(21);
    static final FloatMatrix[] DATA = TunerTest.classes(150, 9);

    static Dataset<Row> frame(int... sizes) {
        FloatMatrix x = DATA[0];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            double[] d = new double[x.cols()];
            for (int j = 0; j < d.length; j++) {
                d[j] = x.get(i, j);
            }
            rows.add(RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(d), (double) DATA[1].get(i, 0)));
        }
        StructType schema = new StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType);
        return TestSpark.session().createDataFrame(Partitions.uneven(TestSpark.session(), rows, sizes), schema);
    }

    /** The weights after the trainer's run on partitions of {@code sizes}. */
    static Map<String, FloatMatrix> spark(SparkTrainer trainer, ModelSpec spec, int... sizes) {
        try (CpuBackend b = new CpuBackend(1); Sequential m = spec.build(b)) {
            trainer.fit(m, spec, frame(sizes), "features", "label");
            assertEquals(0, Replica.inUse(), "every replica closed after the jobs");
            assertEquals(0, Replica.leakedTensors(), "no tensor left live on a replica's backend");
            return m.namedWeights();
        }
    }

    /**
     * The weights after local trainOnBatch on each step's batch: the partitions' shares of the step,
     * concatenated in partition order (rows in the trainer's seeded per-partition order).
     */
    static Map<String, FloatMatrix> local(ModelSpec spec, int epochs, int batch, int... sizes) {
        return localSteps(spec, epochs, batch, Integer.MAX_VALUE, sizes);
    }

    /** {@link #local(ModelSpec, int, int, int...)} stopped after {@code maxSteps} steps. */
    static Map<String, FloatMatrix> localSteps(ModelSpec spec, int epochs, int batch, int maxSteps, int... sizes) {
        long[] rows = Arrays.stream(sizes).asLongStream().toArray();
        StepPlan plan = new StepPlan(rows, batch, spec.seed(), true);
        int[] starts = new int[sizes.length];
        for (int p = 1; p < sizes.length; p++) {
            starts[p] = starts[p - 1] + sizes[p - 1];
        }
        try (CpuBackend b = new CpuBackend(1); Sequential m = spec.build(b)) {
            for (int e = 0; e < epochs; e++) {
                for (int s = 0; s < plan.steps() && m.iterations() < maxSteps; s++) {
                    List<Integer> idx = new ArrayList<>();
                    for (int p = 0; p < sizes.length; p++) {
                        int[] order = plan.order(p, e);
                        for (int i = plan.from(p, s); i < plan.to(p, s); i++) {
                            idx.add(starts[p] + order[i]);
                        }
                    }
                    int[] picked = idx.stream().mapToInt(Integer::intValue).toArray();
                    m.trainOnBatch(DATA[0].rows(picked), DATA[1].rows(picked));
                }
            }
            return m.namedWeights();
        }
    }

    static double maxDiff(Map<String, FloatMatrix> a, Map<String, FloatMatrix> b) {
        assertEquals(a.keySet(), b.keySet());
        double max = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).data();
            float[] y = b.get(k).data();
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    static void assertBitwise(Map<String, FloatMatrix> expected, Map<String, FloatMatrix> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k).data(), actual.get(k).data(), 0f, k);
        }
    }

    @AfterEach
    void disarm() {
        TaskFaults.clear();
    }

    @Test
    void onePartitionEqualsLocalTrainOnBatchBitForBit() {
        Map<String, FloatMatrix> s = spark(new SparkTrainer(TestSpark.session()).epochs(3).batchSize(32), SPEC, 150);
        assertBitwise(local(SPEC, 3, 32, 150), s);
    }

    @Test
    void twoAndThreeUnevenPartitionsStayWithin1e5OfLocalAfterThreeEpochsOfAdam() {
        for (int[] sizes : new int[][] {{40, 110}, {70, 0, 80}, {17, 61, 72}}) {
            Map<String, FloatMatrix> s = spark(new SparkTrainer(TestSpark.session()).epochs(3).batchSize(32), SPEC,
                    sizes);
            double d = maxDiff(local(SPEC, 3, 32, sizes), s);
            System.out.println("partitions " + Arrays.toString(sizes) + ": max |dw| after 3 epochs of Adam = " + d);
            assertTrue(d <= 1e-5, Arrays.toString(sizes) + ": max |dw| = " + d);
        }
    }

    @Test
    void dropoutMasksDoNotDependOnTheSplit() {
        ModelSpec spec = ModelSpec.input(6).dense(16, "relu").dropout(0.3f).dense(3, "softmax")
                .compile("adam", 0.01f, "sparse_categorical_crossentropy").seed(5);
        Map<String, FloatMatrix> one = spark(new SparkTrainer(TestSpark.session()).epochs(2).batchSize(32), spec, 150);
        assertBitwise(local(spec, 2, 32, 150), one);
        Map<String, FloatMatrix> two = spark(new SparkTrainer(TestSpark.session()).epochs(2).batchSize(32), spec,
                40, 110);
        double d = maxDiff(local(spec, 2, 32, 40, 110), two);
        System.out.println("dropout, partitions [40, 110]: max |dw| after 2 epochs = " + d);
        assertTrue(d <= 1e-5, "max |dw| = " + d);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheWeightsAreUnchanged() {
        SparkTrainer trainer = new SparkTrainer(TestSpark.session()).epochs(2).batchSize(32);
        Map<String, FloatMatrix> clean = spark(trainer, SPEC, 60, 90);
        TaskFaults.failOnce(1, 4);
        Map<String, FloatMatrix> retried = spark(trainer, SPEC, 60, 90);
        assertEquals(1, TaskFaults.fired(), "the fault fired once and the retry succeeded");
        assertBitwise(clean, retried);
    }

    @Test
    void averagingWithOnePartitionEqualsLocalTraining() {
        Map<String, FloatMatrix> s = spark(new SparkTrainer(TestSpark.session()).epochs(2).batchSize(25)
                .averageEvery(3), SPEC, 150);
        assertBitwise(local(SPEC, 2, 25, 150), s);
    }

    @Test
    void averagingOnThreePartitionsTrains() {
        SparkTrainer trainer = new SparkTrainer(TestSpark.session()).epochs(6).batchSize(30).averageEvery(2);
        try (CpuBackend b = new CpuBackend(1); Sequential m = SPEC.build(b)) {
            TrainingSummary summary = trainer.fit(m, SPEC, frame(50, 50, 50), "features", "label");
            List<Double> losses = summary.epochLosses();
            assertTrue(losses.get(5) < 0.8 * losses.get(0), "the loss falls: " + losses);
            assertEquals(6 * 3, summary.stepMillis().size(), "three rounds of two steps (and one of one) per epoch");
        }
    }

    @Test
    void checkpointsHoldTheWeightsAndOptimizerStateEveryKSteps(@TempDir Path dir) throws Exception {
        SparkTrainer trainer = new SparkTrainer(TestSpark.session()).epochs(2).batchSize(32)
                .checkpoint(dir.toString(), 4);
        try (CpuBackend b = new CpuBackend(1); Sequential m = SPEC.build(b)) {
            trainer.fit(m, SPEC, frame(60, 90), "features", "label");
            assertEquals(10, m.iterations());
            try (var folders = Files.list(dir)) {
                assertEquals(List.of("step-00000004", "step-00000008"),
                        folders.map(p -> p.getFileName().toString()).sorted().toList());
            }
            SafeTensors.Contents c = SafeTensors.readWithMetadata(dir.resolve("step-00000008/weights.safetensors"));
            assertEquals("8", c.metadata().get("iterations"));
            assertEquals("1", c.metadata().get("epoch"));
            assertTrue(maxDiff(localSteps(SPEC, 2, 32, 8, 60, 90), c.tensors()) <= 1e-5, "the weights after step 8");
            OptimizerState state = OptimizerStateBytes.decode(
                    Files.readAllBytes(dir.resolve("step-00000008/optimizer.safetensors")));
            assertEquals(8, state.iterations());
            assertEquals("adam", state.optimizer());
            assertEquals(2 * c.tensors().size(), state.slots().size(), "Adam's two moments per weight");
        }
    }

    @Test
    void theEstimatorTrainsAModelThatScores() {
        Dataset<Row> df = frame(60, 90);
        MyelinModel model = new MyelinEstimator(SPEC).setEpochs(3).setBatchSize(32).fit(df);
        Map<String, FloatMatrix> expected = spark(new SparkTrainer(TestSpark.session()).epochs(3).batchSize(32), SPEC,
                60, 90);
        assertBitwise(expected, WeightBytes.decode(model.blob().safetensors()));
        assertEquals(150, model.transform(df).count());
        LinkedHashMap<String, FloatMatrix> w = WeightBytes.decode(model.blob().safetensors());
        assertEquals(SPEC.outputs(), w.get("dense_1/bias").cols());
    }
}
