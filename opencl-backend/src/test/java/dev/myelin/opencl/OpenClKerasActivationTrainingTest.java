package dev.myelin.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Adam;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.History;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** XOR learnt through a hidden layer of each Keras 3 activation on the OpenCL device the probe picks (skipped where none can run). */
class OpenClKerasActivationTrainingTest {

    static final FloatMatrix X = FloatMatrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    static final FloatMatrix Y = FloatMatrix.of(new float[][] {{0}, {1}, {1}, {0}});

    @ParameterizedTest
    @ValueSource(strings = {"gelu", "mish", "hard_silu"})
    void learnsXor(String activation) {
        try (Backend cpu = OpenClTestDevice.open(null);
                Sequential model = Sequential.of(cpu, new Dense(8, activation), new Dense(1, "sigmoid")).seed(5)) {
            model.input(2).compile(new Adam(0.05f), Loss.binaryCrossentropy(), "accuracy");
            History h = model.fit(X, Y, new FitOptions().epochs(300).batchSize(4).verbose(0));
            assertTrue(h.last("loss") < 0.1, activation + ": final loss " + h.last("loss"));
            assertEquals(1.0, h.last("accuracy"), activation);
        }
    }
}
