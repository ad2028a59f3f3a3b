package dev.myelin.data;

import java.util.Objects;

/**
 * The three parts of a data set: fit on {@code train}, tune on {@code validation}, report on {@code test}.
 *
 * @param train the part to fit on
 * @param validation the part to tune on (may be empty)
 * @param test the part to report on (may be empty)
 */
public record DataSplit(Dataset train, Dataset validation, Dataset test) {
    /** Checks that no part is null. */
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
    }
}
