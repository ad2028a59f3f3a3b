package dev.myelin.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * LeCun, Cortes and Burges' MNIST handwritten digits: 28x28 grey images of the digits 0-9, 60,000
 * for training and 10,000 for testing. Features are the 784 pixels scaled to [0, 1], row by row.
 *
 * <p>Debian has no package for it: the files are looked for in the folder given, then
 * {@code $MYELIN_DATA/mnist}, then {@code $MYELIN_DATA}.
 */
public final class Mnist {

    /** The class names, index = label. */
    public static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    static final IdxDataSet DATA_SET = new IdxDataSet("MNIST", "mnist", null, null, CLASS_NAMES);

    private Mnist() {
    }

    /**
     * Loads from {@code $MYELIN_DATA}.
     *
     * @return the 60,000 training and 10,000 test images with their labels
     * @throws java.io.IOException if no place holds the files, or one is unreadable or malformed
     */
    public static TrainTest load() throws IOException {
        return DATA_SET.load(null);
    }

    /**
     * Loads from {@code dataDir} if it holds the files (null: skip it), else from {@code $MYELIN_DATA}.
     *
     * @param dataDir a folder holding the four IDX files, or null
     * @return the 60,000 training and 10,000 test images with their labels
     * @throws java.io.IOException if no place holds the files, or one is unreadable or malformed
     */
    public static TrainTest load(Path dataDir) throws IOException {
        return DATA_SET.load(dataDir);
    }

    /**
     * Streams the 60,000 training images and labels without loading them (see {@link IdxBatchSource}); the
     * folder is found as by {@link #load(Path)}.
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
