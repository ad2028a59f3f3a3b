package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.myelin.Backends;
import dev.myelin.data.Dataset;
import dev.myelin.data.Datasets;
import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Adam;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.LearningRateScheduler;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.util.LinkedHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A learning rate set by a callback between epochs reaches the fused Adam update kernel of every backend:
 * the run equals one whose rate was set by hand before the second epoch, and differs from one without it.
 */
class LearningRateCallbackBackendsTest {

    private static Sequential net(Backend backend) {
        Sequential m = Sequential.of(backend, new Dense(8, "relu"), new Dense(3, "softmax")).seed(3);
        m.input(4).compile(new Adam(0.02f), Loss.sparseCategoricalCrossentropy());
        return m;
    }

    private static FitOptions options(int epochs) {
        return new FitOptions().epochs(epochs).batchSize(50).verbose(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void theScheduledRateReachesTheUpdateKernel(String name) {
        assumeTrue(Backends.availableNames().contains(name), name + " is not available here: " + Backends.describe());
        Backend backend = Backends.get(name);
        Dataset iris = Datasets.iris();
        FloatMatrix x = iris.features();
        FloatMatrix y = iris.labels();
        LinkedHashMap<String, FloatMatrix> scheduled;
        try (Sequential m = net(backend)) {
            m.fit(x, y, options(2).callbacks(new LearningRateScheduler((epoch, lr) -> epoch == 1 ? lr / 4 : lr)));
            scheduled = m.namedWeights();
        }
        try (Sequential byHand = net(backend)) {
            byHand.fit(x, y, options(1));
            byHand.optimizer().learningRate(0.005f);
            byHand.fit(x, y, options(2).initialEpoch(1));
            assertEquals(byHand.namedWeights(), scheduled, "bit for bit on " + name);
        }
        try (Sequential unchanged = net(backend)) {
            unchanged.fit(x, y, options(2));
            assertNotEquals(unchanged.namedWeights(), scheduled, "the rate made a difference on " + name);
        }
    }
}
