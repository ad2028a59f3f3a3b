package dev.myelin.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST: 28x28 grey images of clothing in 10 classes, 60,000 for training and
 * 10,000 for testing. Features are the 784 pixels scaled to [0, 1], row by row.
 *
 * <p>The files are looked for in the folder given, then {@code $MYELIN_DATA/fashion-mnist}, then
 * {@code $MYELIN_DATA}, then {@value #SYSTEM_DIR} (where the Debian package
 * {@code dataset-fashion-mnist} installs them).
 */
public final class FashionMnist {

    /** Where {@code sudo apt-get install dataset-fashion-mnist} puts the four gzipped IDX files. */
    public static final String SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";

    /** The class names, index = label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final IdxDataSet DATA_SET = new IdxDataSet("Fashion-MNIST", "fashion-mnist", Path.of(SYSTEM_DIR),
            "install it with `sudo apt-get install dataset-fashion-mnist` (into " + SYSTEM_DIR + ")", CLASS_NAMES);

    private FashionMnist() {
    }

    /**
     * Loads from {@code $MYELIN_DATA} or {@value #SYSTEM_DIR}.
     *
     * @return the 60,000 training and 10,000 test images with their labels
     * @throws java.io.IOException if no place holds the files, or one is unreadable or malformed
     */
    public static TrainTest load() throws IOException {
        return DATA_SET.load(null);
    }

    /**
     * Loads from {@code dataDir} if it holds the files (null: skip it), else from the other places.
     *
     * @param dataDir a folder holding the four IDX files, or null
     * @return the 60,000 training and 10,000 test images with their labels
     * @throws java.io.IOException if no place holds the files, or one is unreadable or malformed
     */
    public static TrainTest load(Path dataDir) throws IOException {
        return DATA_SET.load(dataDir);
    }

    /**
     * Streams the 60,000 training images and labels from the files, without loading them (see
     * {@link IdxBatchSource}); the folder is found as by {@link #load(Path)}.
     *
     * @param dataDir a folder holding the four IDX files, or null
     * @return a source of {@code [784]} pixels in [0, 1] and class indices {@code [1]}
     * @throws java.io.IOException if no place holds the files, or a header is unreadable or malformed
     */
    public static IdxBatchSource trainingSource(Path dataDir) throws IOException {
        return DATA_SET.source(dataDir, true);
    }

    /**
     * Streams the 10,000 test images and labels; see {@link #trainingSource(Path)}.
     *
     * @param dataDir a folder holding the four IDX files, or null
     * @return a source of {@code [784]} pixels in [0, 1] and class indices {@code [1]}
     * @throws java.io.IOException if no place holds the files, or a header is unreadable or malformed
     */
    public static IdxBatchSource testSource(Path dataDir) throws IOException {
        return DATA_SET.source(dataDir, false);
    }
}
