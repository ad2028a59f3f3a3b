package dev.myelin.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small data sets that ship inside Myelin, for examples and tests that must run anywhere. */
public final class Datasets {

    /** The iris classes, in the order of their class indices. */
    public static final List<String> IRIS_CLASSES = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");

    private static final String IRIS_RESOURCE = "/dev/myelin/data/iris.csv";

    private Datasets() {
    }

    /**
     * Fisher's iris data as distributed by the UCI Machine Learning Repository: 150 flowers, 50 of
     * each species; features sepal length, sepal width, petal length, petal width (cm); classes
     * {@link #IRIS_CLASSES}. Unshuffled (sorted by species): split or shuffle before training.
     *
     * @return the 150 flowers, 4 features, 3 classes
     */
    public static Dataset iris() {
        InputStream stream = Datasets.class.getResourceAsStream(IRIS_RESOURCE);
        if (stream == null) {
            throw new IllegalStateException("resource " + IRIS_RESOURCE + " is missing from the Myelin core jar");
        }
        try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            return CsvReader.labelColumn("species").labelEncoder(LabelEncoder.of(IRIS_CLASSES))
                    .read(in, "classpath:" + IRIS_RESOURCE);
        } catch (IOException e) {
            // The resource is part of the jar: failing to read it is a broken installation, not bad input.
            throw new UncheckedIOException("cannot read " + IRIS_RESOURCE + " from the Myelin core jar", e);
        }
    }
}
