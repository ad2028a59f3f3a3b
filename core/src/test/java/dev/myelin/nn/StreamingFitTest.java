package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.BatchSource;
import dev.myelin.data.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** fit, evaluate and predict on a {@link BatchSource}, and Keras's {@code steps_per_epoch}. */
class StreamingFitTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        assertEquals(0, backend.liveTensors(), "every tensor is freed when the models close");
        backend.close();
    }

    private Sequential model() {
        Sequential m = Sequential.of(backend, new Dense(6, "relu"), new Dense(3, "softmax")).seed(5);
        m.input(2).compile(new Adam(0.01f), Loss.of("sparse_categorical_crossentropy"), "accuracy");
        return m;
    }

    @Test
    void anUnshuffledSourceTrainsExactlyAsTheSameMatrices() {
        FloatMatrix[] d = TrainingTest.blobs(37, 3, 1);
        float[] w = new float[37];
        for (int i = 0; i < 37; i++) {
            w[i] = 0.5f + i % 3;
        }
        FitOptions o = new FitOptions().epochs(3).batchSize(8).shuffle(false).verbose(0);
        try (Sequential a = model(); Sequential b = model(); Sequential c = model(); Sequential e = model()) {
            History ha = a.fit(d[0], d[1], o);
            History hb = b.fit(BatchSource.of(d[0], d[1]), o);
            assertEquals(ha.get("loss"), hb.get("loss"));
            assertEquals(ha.get("accuracy"), hb.get("accuracy"));
            assertEquals(a.namedWeights(), b.namedWeights());
            c.fit(d[0], d[1], new FitOptions().epochs(3).batchSize(8).shuffle(false).verbose(0).sampleWeight(w));
            e.fit(BatchSource.of(d[0], d[1], w), o);
            assertEquals(c.namedWeights(), e.namedWeights(), "the source's sample weights weigh as fit's");
            assertEquals(a.evaluate(d[0], d[1], 5), a.evaluate(BatchSource.of(d[0], d[1]), 5));
            assertEquals(a.predict(d[0], 4), a.predict(BatchSource.of(d[0], null), 4));
        }
    }

    @Test
    void shuffledSourcesAreReproducibleFromTheSeed() {
        FloatMatrix[] d = TrainingTest.blobs(40, 3, 2);
        FitOptions o = new FitOptions().epochs(2).batchSize(8).verbose(0);
        try (Sequential a = model(); Sequential b = model();
                Sequential c = Sequential.of(backend, new Dense(6, "relu"), new Dense(3, "softmax")).seed(6)) {
            c.input(2).compile(new Adam(0.01f), Loss.of("sparse_categorical_crossentropy"), "accuracy");
            List<FloatMatrix> initial = a.getWeights();
            a.fit(BatchSource.of(d[0], d[1]), o);
            b.fit(BatchSource.of(d[0], d[1]), o);
            assertEquals(a.namedWeights(), b.namedWeights());
            c.setWeights(initial);
            c.fit(BatchSource.of(d[0], d[1]), o);
            assertNotEquals(a.namedWeights(), c.namedWeights(), "another seed draws other orders");
        }
    }

    /** Records the optimizer's iterations at the end of each epoch. */
    private static final class Steps implements Callback {
        final List<Long> atEpochEnd = new ArrayList<>();
        private Sequential model;

        @Override
        public void onTrainBegin(Sequential m) {
            model = m;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            atEpochEnd.add(model.iterations());
        }
    }

    @Test
    void stepsPerEpochRunsOnAcrossEpochsAndEndsAnEpochEarlyWhenTheDataRunsOut() {
        FloatMatrix[] d = TrainingTest.blobs(10, 3, 3); // 5 batches of 2
        Steps steps = new Steps();
        try (Sequential a = model()) {
            a.fit(d[0], d[1], new FitOptions().epochs(5).batchSize(2).stepsPerEpoch(2).verbose(0).callbacks(steps));
            // Keras 3: 2, 2, then the pass has 1 batch left (warning), then a new pass: 2, 2.
            assertEquals(List.of(2L, 4L, 5L, 7L, 9L), steps.atEpochEnd);
        }
        Steps whole = new Steps();
        try (Sequential b = model(); Sequential c = model()) {
            b.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(2).stepsPerEpoch(5).verbose(0).callbacks(whole));
            c.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(2).verbose(0));
            assertEquals(List.of(5L, 10L), whole.atEpochEnd);
            assertEquals(c.namedWeights(), b.namedWeights(), "a pass per epoch is the same fit");
        }
        Steps longer = new Steps();
        try (Sequential e = model()) {
            e.fit(BatchSource.of(d[0], d[1]), new FitOptions().epochs(2).batchSize(4).stepsPerEpoch(7).verbose(0)
                    .callbacks(longer));
            assertEquals(List.of(3L, 6L), longer.atEpochEnd, "more steps than the data has: a pass per epoch");
        }
    }

    @Test
    void sourcesThatDoNotFitTheModelAreRefusedBeforeTraining() {
        FloatMatrix[] d = TrainingTest.blobs(10, 3, 4);
        try (Sequential m = model()) {
            IllegalArgumentException targets = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(BatchSource.of(d[0], new FloatMatrix(10, 3, new float[30])), new FitOptions()));
            assertTrue(targets.getMessage().contains("1 target column"), targets.getMessage());
            IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(BatchSource.of(new FloatMatrix(10, 3, new float[30]), d[1]), new FitOptions()));
            assertTrue(width.getMessage().contains("must have 2 columns"), width.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.fit(BatchSource.of(d[0], d[1]),
                    new FitOptions().validationSplit(0.2)));
            assertThrows(IllegalArgumentException.class, () -> m.fit(BatchSource.of(d[0], d[1]),
                    new FitOptions().sampleWeight(new float[10])));
            assertThrows(IllegalArgumentException.class, () -> m.fit(BatchSource.of(d[0], d[1], new float[10]),
                    new FitOptions().classWeight(Map.of(1, 2.0))));
            FloatMatrix bad = d[1].rowRange(0, 10);
            FloatMatrix labels = new FloatMatrix(10, 1, bad.data().clone());
            labels.set(7, 0, 3f);
            IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(BatchSource.of(d[0], labels), new FitOptions().batchSize(4).shuffle(false).verbose(0)));
            assertTrue(label.getMessage().contains("got 3.0 in row 7"), label.getMessage());
        }
    }

    /** A source that says its size only by running out, as a user's own generator may. */
    private static BatchSource unknownSize(BatchSource inner) {
        return new BatchSource() {
            @Override
            public int features() {
                return inner.features();
            }

            @Override
            public int targetColumns() {
                return inner.targetColumns();
            }

            @Override
            public boolean hasSampleWeights() {
                return inner.hasSampleWeights();
            }

            @Override
            public long samples() {
                return -1;
            }

            @Override
            public dev.myelin.data.BatchReader open(boolean shuffle, long seed) throws java.io.IOException {
                return inner.open(shuffle, seed);
            }
        };
    }

    @Test
    void aSourceOfUnknownSizeTrainsAsAKnownOneAndShowsUnknownSteps() {
        FloatMatrix[] d = TrainingTest.blobs(10, 3, 5);
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        try (Sequential a = model(); Sequential b = model()) {
            a.fit(BatchSource.of(d[0], d[1]), new FitOptions().epochs(2).batchSize(4).verbose(0));
            b.fit(unknownSize(BatchSource.of(d[0], d[1])), new FitOptions().epochs(2).batchSize(4).verbose(2)
                    .out(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(a.namedWeights(), b.namedWeights());
            String out = text.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(out.contains("3/Unknown"), out);
        }
        Steps steps = new Steps();
        try (Sequential c = model()) {
            c.fit(unknownSize(BatchSource.of(d[0], d[1])), new FitOptions().epochs(3).batchSize(2).stepsPerEpoch(3)
                    .verbose(0).callbacks(steps));
            // 5 batches a pass: 3, then 2 (the data runs out), then a new pass: 3.
            assertEquals(List.of(3L, 5L, 8L), steps.atEpochEnd);
        }
    }
}
