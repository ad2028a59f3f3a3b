package dev.myelin.data;

import java.util.Objects;

/** The three parts of a data set: fit on {@code train}, tune on {@code validation}, report on {@code test}. */
public record DataSplit(Dataset train, Dataset validation, Dataset test) {
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
    }
}
