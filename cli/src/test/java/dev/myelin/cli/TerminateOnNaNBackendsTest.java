package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.myelin.Backends;
import dev.myelin.data.Dataset;
import dev.myelin.data.Datasets;
import dev.myelin.nn.Adam;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.History;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.TerminateOnNaN;
import dev.myelin.spi.Backend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TerminateOnNaN stops a diverging training at the same batch on every backend: a kernel that turned
 * NaN into a number (OpenCL's fmax or clamp) kept the loss finite, so it never fired there.
 */
class TerminateOnNaNBackendsTest {

    /** The epoch and batch TerminateOnNaN stopped at, and what it printed, for Adam at 1e30 on iris. */
    private static List<Object> diverge(Backend backend) {
        Dataset iris = Datasets.iris();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminateOnNaN nan = new TerminateOnNaN(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (Sequential model = Sequential.of(backend, new Dense(16, "relu"), new Dense(3, "softmax"))) {
            model.compile(new Adam(1e30f), Loss.sparseCategoricalCrossentropy());
            History h = model.fit(iris.features(), iris.labels(), new FitOptions().epochs(5).batchSize(32)
                    .shuffle(false).callbacks(nan).verbose(0));
            assertTrue(h.get("loss").size() < 5, "training stopped before its 5 epochs: " + h.history());
        }
        return List.of(nan.stoppedEpoch(), nan.stoppedStep(), bytes.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl"})
    void stopsADivergingTrainingAtTheSameBatchAsTheCpu(String name) {
        assumeTrue(Backends.availableNames().contains(name), name + " is not available here: " + Backends.describe());
        List<Object> got = diverge(Backends.get(name));
        assertEquals(0, got.get(0), "stopped in the first epoch: " + got);
        assertTrue(((String) got.get(2)).contains("invalid loss NaN, terminating training"), got::toString);
        if (!name.equals("cpu")) {
            assertEquals(diverge(Backends.get("cpu")), got, "the same epoch, batch and message as on the CPU");
        }
    }
}
