package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.AllocationException;
import dev.myelin.spi.CounterRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The host arrays of the initial weights: the same values as ever, and a clear refusal where the heap is too small. */
class InitialValuesTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aWeightWhoseInitialValuesExceedTheMaximumHeapIsRefusedBeforeAnyAllocation() {
        int n = 46000;
        long bytes = (long) n * n * Float.BYTES;
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < bytes, "this JVM's heap could hold " + bytes + " bytes");
        try (Sequential model = Sequential.of(backend, new Dense(n)).input(n)) {
            AllocationException e = assertThrows(AllocationException.class,
                    () -> model.compile(new SGD(), Loss.meanSquaredError()));
            for (String part : new String[] {"[46000 x 46000]", String.valueOf(bytes), "dense/kernel", "initial values",
                "Java heap", "-Xmx"}) {
                assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
            }
            assertEquals(0, backend.liveTensors(), "nothing allocated");
        }
    }

    @Test
    void theInitialWeightsAreTheInitializersValuesForTheLayersSeeds() {
        try (Sequential model = Sequential.of(backend, new Dense(7, "relu").biasInitializer(Initializer.ones()),
                new Dense(3).kernelInitializer(Initializer.heNormal())).seed(11).input(5)) {
            model.compile(new SGD(), Loss.meanSquaredError());
            long first = CounterRandom.streamSeed(11, 0);
            long second = CounterRandom.streamSeed(11, 1);
            assertArrayEquals(Initializer.glorotUniform().generate(5, 7, 35, first), model.getWeights().get(0).data());
            assertArrayEquals(Initializer.ones().generate(7, 7, 7, CounterRandom.streamSeed(first, 1)),
                    model.getWeights().get(1).data());
            assertArrayEquals(Initializer.heNormal().generate(7, 3, 21, second), model.getWeights().get(2).data());
        }
    }
}
