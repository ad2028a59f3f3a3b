package dev.myelin.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.myelin.cpu.CpuBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.History;
import dev.myelin.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each tuner trial equals the same fit run locally; the best is chosen by the validation metric. */
class TunerTest {

    /** A 3-class problem: the class is the index of the largest of the first three features. */
    static FloatMatrix[] classes(int n, long seed) {
        FloatMatrix x = ScoringTest.randomRows(n, 6, seed);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < 3; j++) {
                if (x.get(i, j) > x.get(i, best)) {
                    best = j;
                }
            }
            y[i] = best;
        }
        return new FloatMatrix[] {x, new FloatMatrix(n, 1, y)};
    }

    @Test
    void everyTrialEqualsALocalFitAndTheBestIsChosenByValidationLoss() {
        FloatMatrix[] train = classes(120, 5);
        FloatMatrix[] val = classes(40, 6);
        ModelSpec base = ModelSpec.input(6).dense(12, "relu").dense(3, "softmax")
                .compile("adam", 0.01f, "sparse_categorical_crossentropy", "accuracy");
        List<TrialConfig> configs = new ArrayList<>();
        configs.add(new TrialConfig(base.learningRate(0.05f).seed(1), 3, 16, true));
        configs.add(new TrialConfig(base.learningRate(0.01f).seed(2), 3, 16, true));
        configs.add(new TrialConfig(base.learningRate(0.001f).seed(3), 2, 32, false));
        configs.add(new TrialConfig(base.learningRate(0.02f).seed(4), 4, 25, true));

        int before = Replica.opened();
        MyelinTuner.Result result = new MyelinTuner(TestSpark.session())
                .search(configs, train[0], train[1], val[0], val[1]);
        assertEquals(4, Replica.opened() - before, "one replica per trial");
        assertEquals(0, Replica.inUse());
        assertEquals(0, Replica.leakedTensors());
        assertEquals(4, result.trials().size());

        int bestLocal = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < configs.size(); i++) {
            Trial t = result.trials().get(i);
            assertEquals(i, t.index());
            try (CpuBackend b = new CpuBackend(1); Sequential local = configs.get(i).spec().build(b)) {
                History h = MyelinTuner.fit(local, configs.get(i), train[0], train[1], val[0], val[1]);
                Map<String, FloatMatrix> expected = local.namedWeights();
                Map<String, FloatMatrix> actual = WeightBytes.decode(t.weights());
                assertEquals(expected.keySet(), actual.keySet());
                for (String k : expected.keySet()) {
                    assertArrayEquals(expected.get(k).data(), actual.get(k).data(), 0f, "trial " + i + " " + k);
                }
                assertEquals(h.last("val_loss"), t.metric("val_loss"), 0.0);
                assertEquals(h.last("accuracy"), t.metric("accuracy"), 0.0);
                if (h.last("val_loss") < bestLoss) {
                    bestLoss = h.last("val_loss");
                    bestLocal = i;
                }
            }
        }
        assertEquals(bestLocal, result.best("val_loss", false).index());
        double bestAcc = result.trials().stream().mapToDouble(t -> t.metric("val_accuracy")).max().orElseThrow();
        assertEquals(bestAcc, result.best("val_accuracy", true).metric("val_accuracy"), 0.0);
        assertNotEquals(result.trials().get(0).metric("val_loss"), result.trials().get(1).metric("val_loss"));
    }
}
