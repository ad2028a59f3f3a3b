package dev.myelin.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A data set that comes as a training and a test part, such as Fashion-MNIST.
 *
 * @param source the folder the files were read from
 * @param train the training part
 * @param test the test part
 */
public record TrainTest(Dataset train, Dataset test, Path source) {
    /** Checks that no part is null. */
    public TrainTest {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
    }
}
