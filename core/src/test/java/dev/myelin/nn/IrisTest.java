package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.DataSplit;
import dev.myelin.data.Dataset;
import dev.myelin.data.Datasets;
import dev.myelin.data.Scaler;
import dev.myelin.data.StandardScaler;
import org.junit.jupiter.api.Test;

/** Iris with the classic 4-30-16-3 network, softmax output and Adam, on the reference backend. */
class IrisTest {

    @Test
    void learnsIrisToAtLeast95PercentTestAccuracy() {
        DataSplit split = Datasets.iris().stratifiedSplit(0.0, 0.2, 42);
        Scaler scaler = new StandardScaler().fit(split.train().features());
        Dataset train = scaler.transform(split.train());
        Dataset test = scaler.transform(split.test());
        assertEquals(30, test.size());
        try (ReferenceBackend backend = new ReferenceBackend();
                Sequential model = Sequential.of(backend, new Dense(30, "relu"), new Dense(16, "relu"),
                        new Dense(3, "softmax"))) {
            model.input(4).compile(new Adam(0.01f), Loss.categoricalCrossentropy(), "accuracy");
            History h = model.fit(train.features(), train.oneHotLabels(),
                    new FitOptions().epochs(100).batchSize(16).verbose(0));
            double accuracy = model.evaluate(test.features(), test.oneHotLabels()).get("accuracy");
            assertTrue(accuracy >= 0.95, "test accuracy " + accuracy + ", last training loss " + h.last("loss"));
        }
    }
}
