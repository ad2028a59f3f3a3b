package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.data.IdxReader;
import dev.myelin.spi.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A 2,000-image subset of the real Fashion-MNIST trains to a sensible accuracy on the default backend. */
class FashionMnistSubsetTest {

    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void subsetTrainsToSensibleAccuracy() throws IOException {
        Path images = DIR.resolve("train-images-idx3-ubyte.gz");
        Path labels = DIR.resolve("train-labels-idx1-ubyte.gz");
        Assumptions.assumeTrue(Files.isReadable(images) && Files.isReadable(labels),
                "Fashion-MNIST is not installed at " + DIR + " (Debian package dataset-fashion-mnist)");
        FloatMatrix x = IdxReader.readImages(images);
        FloatMatrix y = IdxReader.readLabelsAsMatrix(labels);
        FloatMatrix trainX = x.rowRange(0, 2000);
        FloatMatrix trainY = y.rowRange(0, 2000);
        FloatMatrix testX = x.rowRange(50_000, 51_000);
        FloatMatrix testY = y.rowRange(50_000, 51_000);
        Backend backend = Backends.get();
        try (Sequential model = Sequential.of(backend, new Dense(64, "relu"), new Dense(32, "relu"),
                new Dense(10, "softmax"))) {
            model.input(784).compile("adam", "sparse_categorical_crossentropy", "accuracy");
            History h = model.fit(trainX, trainY, new FitOptions().epochs(8).batchSize(32).verbose(0));
            double accuracy = model.evaluate(testX, testY, 128).get("accuracy");
            assertTrue(h.last("loss") < h.get("loss").get(0), "training loss decreases: " + h.get("loss"));
            assertTrue(accuracy >= 0.75, "held-out accuracy on " + backend.name() + ": " + accuracy);
        }
    }
}
