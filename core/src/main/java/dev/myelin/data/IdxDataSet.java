package dev.myelin.data;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data set in the MNIST layout: four IDX files (training images and labels, test images and
 * labels), gzipped or not, in one folder. Finds the folder (the one the user names and only that
 * one; otherwise {@code $MYELIN_DATA/<subfolder>}, {@code $MYELIN_DATA}, then the system folder) and
 * reads and cross-checks the four files.
 */
final class IdxDataSet {

    /** The environment variable naming a folder of data sets. */
    static final String ENV_VAR = "MYELIN_DATA";

    static final List<String> FILE_NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private final String name;
    private final String subfolder;
    private final Path systemDir;
    private final String installHint;
    private final List<String> classNames;

    IdxDataSet(String name, String subfolder, Path systemDir, String installHint, List<String> classNames) {
        this.name = name;
        this.subfolder = subfolder;
        this.systemDir = systemDir;
        this.installHint = installHint;
        this.classNames = List.copyOf(classNames);
    }

    List<String> classNames() {
        return classNames;
    }

    /** Loads from {@code userDir} (may be null) or the other places, with the real environment. */
    TrainTest load(Path userDir) throws IOException {
        return load(userDir, System.getenv(ENV_VAR));
    }

    TrainTest load(Path userDir, String envValue) throws IOException {
        Path dir = locate(userDir, envValue);
        Map<String, Path> files = filesIn(dir);
        Path trainImages = files.get(FILE_NAMES.get(0));
        Path trainLabels = files.get(FILE_NAMES.get(1));
        Path testImages = files.get(FILE_NAMES.get(2));
        Path testLabels = files.get(FILE_NAMES.get(3));
        return new TrainTest(part(trainImages, trainLabels), part(testImages, testLabels), dir);
    }

    /** Streams the training (or test) images and labels from {@code userDir} (may be null) or the other places. */
    IdxBatchSource source(Path userDir, boolean training) throws IOException {
        Map<String, Path> files = filesIn(locate(userDir, System.getenv(ENV_VAR)));
        int first = training ? 0 : 2;
        return IdxBatchSource.of(files.get(FILE_NAMES.get(first)), files.get(FILE_NAMES.get(first + 1)));
    }

    /**
     * The first folder that holds all four files; a folder with only some of them is an error. A folder
     * the user names is the only candidate: a mistyped path must fail, not quietly load another copy.
     */
    Path locate(Path userDir, String envValue) throws IOException {
        List<String> looked = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        List<String> why = new ArrayList<>();
        if (userDir != null) {
            candidates.add(userDir);
            why.add("the folder given");
        }
        if (userDir == null && envValue != null && !envValue.isBlank()) {
            Path env = Path.of(envValue);
            candidates.add(env.resolve(subfolder));
            why.add("$" + ENV_VAR + "/" + subfolder);
            candidates.add(env);
            why.add("$" + ENV_VAR);
        }
        if (userDir == null && systemDir != null) {
            candidates.add(systemDir);
            why.add("the system folder");
        }
        for (int i = 0; i < candidates.size(); i++) {
            Path dir = candidates.get(i);
            Map<String, Path> found = filesIn(dir);
            if (found.size() == FILE_NAMES.size()) {
                return dir;
            }
            if (!found.isEmpty()) {
                List<String> missing = new ArrayList<>(FILE_NAMES);
                missing.removeAll(found.keySet());
                throw new MissingDataException(name + ": " + dir + " (" + why.get(i) + ") holds " + found.keySet()
                        + " but not " + missing + " (each may be gzipped, with .gz); " + howToGet());
            }
            looked.add(dir + " (" + why.get(i) + ")");
        }
        throw new MissingDataException(name + " not found; looked in " + (looked.isEmpty() ? "no folder" : String.join(", ", looked))
                + ". " + howToGet());
    }

    private String howToGet() {
        String files = String.join(", ", FILE_NAMES.stream().map(f -> f + "[.gz]").toList());
        return (installHint == null ? "" : installHint + ", or ") + "put the four files " + files
                + " in a folder and name it with --data-dir (or " + ENV_VAR + "=<folder>)";
    }

    /** The data files present in {@code dir}, by base name (raw preferred over .gz when both exist). */
    private static Map<String, Path> filesIn(Path dir) {
        Map<String, Path> found = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        for (String base : FILE_NAMES) {
            for (String candidate : List.of(base, base + ".gz")) {
                Path p = dir.resolve(candidate);
                if (Files.isRegularFile(p)) {
                    found.put(base, p);
                    break;
                }
            }
        }
        return found;
    }

    private Dataset part(Path imagesFile, Path labelsFile) throws IOException {
        FloatMatrix images = IdxReader.readImages(imagesFile);
        int[] labels = IdxReader.readLabels(labelsFile);
        if (labels.length != images.rows()) {
            throw MalformedFileException.atByte(labelsFile, 4, "holds " + labels.length + " labels, but "
                    + imagesFile + " holds " + images.rows() + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw MalformedFileException.atByte(labelsFile, 8 + i, "label " + labels[i] + " of example " + i
                        + " is not a class 0.." + (classNames.size() - 1));
            }
        }
        return Dataset.ofClasses(images, labels, classNames);
    }
}
