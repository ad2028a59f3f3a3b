package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import dev.myelin.data.IdxReader;
import dev.myelin.nn.BatchNormalization;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.Layer;
import dev.myelin.nn.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check of batch normalization on real data: the Fashion-MNIST seed network with
 * BatchNormalization after each hidden layer (784-64-BN-32-BN-10, relu, softmax; Adam, batch 128, the
 * model's default seed) reaches at least the test accuracy of the same network without it, trained on the
 * same 60,000 images for the same 3 epochs and evaluated on the 10,000 test images (whose inference runs on
 * the moving statistics). Skipped, with the reason, where the data set is not installed.
 */
class BatchNormalizationFashionMnistTest {

    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final int TRAIN = 60_000;
    static final int EPOCHS = 3;

    @Test
    void batchNormalizationTrainsAtLeastAsWellAsThePlainNetwork() throws IOException {
        Path trainImages = DIR.resolve("train-images-idx3-ubyte.gz");
        Path trainLabels = DIR.resolve("train-labels-idx1-ubyte.gz");
        Path testImages = DIR.resolve("t10k-images-idx3-ubyte.gz");
        Path testLabels = DIR.resolve("t10k-labels-idx1-ubyte.gz");
        Assumptions.assumeTrue(Files.isReadable(trainImages) && Files.isReadable(trainLabels)
                && Files.isReadable(testImages) && Files.isReadable(testLabels),
                "Fashion-MNIST is not installed at " + DIR + " (Debian package dataset-fashion-mnist)");
        FloatMatrix x = IdxReader.readImages(trainImages).rowRange(0, TRAIN);
        FloatMatrix y = IdxReader.readLabelsAsMatrix(trainLabels).rowRange(0, TRAIN);
        FloatMatrix testX = IdxReader.readImages(testImages);
        FloatMatrix testY = IdxReader.readLabelsAsMatrix(testLabels);
        try (CpuBackend backend = new CpuBackend()) {
            double plain = accuracy(backend, false, x, y, testX, testY);
            double normalized = accuracy(backend, true, x, y, testX, testY);
            System.out.printf(Locale.ROOT, "Fashion-MNIST, %d images x %d epochs, test accuracy on %d: without BN %.4f,"
                    + " with BN %.4f%n", TRAIN, EPOCHS, testX.rows(), plain, normalized);
            assertTrue(normalized >= plain, "with BatchNormalization " + normalized + ", without " + plain);
            assertTrue(plain > 0.7, "the plain network learns: " + plain);
        }
    }

    private static double accuracy(CpuBackend backend, boolean batchNorm, FloatMatrix x, FloatMatrix y,
            FloatMatrix testX, FloatMatrix testY) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Dense(64, "relu"));
        if (batchNorm) {
            layers.add(new BatchNormalization());
        }
        layers.add(new Dense(32, "relu"));
        if (batchNorm) {
            layers.add(new BatchNormalization());
        }
        layers.add(new Dense(10, "softmax"));
        try (Sequential model = Sequential.of(backend, layers.toArray(Layer[]::new))) {
            model.input(784).compile("adam", "sparse_categorical_crossentropy", "accuracy");
            model.fit(x, y, new FitOptions().epochs(EPOCHS).batchSize(128).verbose(0));
            return model.evaluate(testX, testY, 128).get("accuracy");
        }
    }
}
