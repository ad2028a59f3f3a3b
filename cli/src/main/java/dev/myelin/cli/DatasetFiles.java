package dev.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the IDX files of MNIST-style data sets, and installs Fashion-MNIST from Debian's
 * {@code dataset-fashion-mnist} package when it is missing and the user is root.
 */
final class DatasetFiles {

    /** Where Debian's {@code dataset-fashion-mnist} package puts the data. */
    static final Path FASHION_MNIST_DEFAULT = Path.of("/usr/share/datasets/fashion-mnist");
    static final String FASHION_MNIST_PACKAGE = "dataset-fashion-mnist";

    /** The four files of an MNIST-style data set; each may also be gzip-compressed ({@code .gz}). */
    static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private DatasetFiles() {
    }

    /**
     * The Fashion-MNIST directory: {@code dataDir} when given, else Debian's location, installing the
     * package first when it is absent and this process runs as root.
     */
    static Path fashionMnist(Path dataDir, PrintWriter log) throws IOException, InterruptedException {
        if (dataDir != null) {
            return requireIdx("fashion-mnist", dataDir);
        }
        if (missing(FASHION_MNIST_DEFAULT).isEmpty()) {
            return FASHION_MNIST_DEFAULT;
        }
        if (isRoot()) {
            log.println("Fashion-MNIST is not in " + FASHION_MNIST_DEFAULT + ": installing Debian's "
                    + FASHION_MNIST_PACKAGE + " package ...");
            log.flush();
            // A fresh machine may have no package lists yet: update once, then retry.
            if (run(log, "apt-get", "install", "-y", "-q", FASHION_MNIST_PACKAGE) != 0
                    && (run(log, "apt-get", "update", "-q") != 0
                    || run(log, "apt-get", "install", "-y", "-q", FASHION_MNIST_PACKAGE) != 0)) {
                throw new CommandFailure("could not install " + FASHION_MNIST_PACKAGE + " with apt-get (see above);"
                        + " or pass --data-dir DIR holding " + describeFiles());
            }
            return requireIdx("fashion-mnist", FASHION_MNIST_DEFAULT);
        }
        throw new CommandFailure("Fashion-MNIST not found in " + FASHION_MNIST_DEFAULT + ". Install it with:\n"
                + "    sudo apt-get install " + FASHION_MNIST_PACKAGE + "\n"
                + "or pass --data-dir DIR holding " + describeFiles());
    }

    /** {@code dir} when it holds the four IDX files, else a failure naming the missing ones. */
    static Path requireIdx(String dataset, Path dir) {
        List<String> missing = missing(dir);
        if (!missing.isEmpty()) {
            throw new CommandFailure(dataset + ": " + dir + " lacks " + String.join(", ", missing)
                    + " (each may be .gz); expected " + describeFiles());
        }
        return dir;
    }

    /** The IDX files {@code dir} lacks, in neither raw nor gzip form. */
    static List<String> missing(Path dir) {
        return IDX_FILES.stream()
                .filter(f -> !Files.isRegularFile(dir.resolve(f)) && !Files.isRegularFile(dir.resolve(f + ".gz")))
                .toList();
    }

    static String describeFiles() {
        return String.join(", ", IDX_FILES) + " (raw or .gz)";
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;   // not Linux: never try to install anything
        }
    }

    private static int run(PrintWriter log, String... command) throws IOException, InterruptedException {
        log.println("$ " + String.join(" ", command));
        log.flush();
        Process p = new ProcessBuilder(command).inheritIO().start();
        return p.waitFor();
    }
}
