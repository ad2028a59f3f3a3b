package dev.myelin.cli;

import dev.myelin.data.CsvReader;
import dev.myelin.data.DataSplit;
import dev.myelin.data.Dataset;
import dev.myelin.data.Datasets;
import dev.myelin.data.FloatMatrix;
import dev.myelin.data.Mnist;
import dev.myelin.data.StandardScaler;
import dev.myelin.data.TrainTest;
import dev.myelin.nn.Loss;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A classification data set as the commands name it, split into training and test parts.
 *
 * @param name   the name given on the command line
 * @param origin where the data was read from, for the user
 */
record TrainingData(String name, Dataset train, Dataset test, String origin) {

    /** The names {@link #load} accepts, for help texts. */
    static final String NAMES = "fashion-mnist, mnist, iris or csv:PATH";

    /** The share of iris and CSV samples held out for the test (stratified); image sets come split. */
    static final double TEST_FRACTION = 0.2;

    /** The settings that decide which samples are loaded and how they are split. */
    record Request(String name, Path dataDir, String labelColumn, char delimiter, long seed, int limit) {

        /** A request for CSV files separated by ','. */
        Request(String name, Path dataDir, String labelColumn, long seed, int limit) {
            this(name, dataDir, labelColumn, ',', seed, limit);
        }
    }

    /**
     * Loads {@code request.name()}: Fashion-MNIST and MNIST from their IDX files (pixels scaled to [0, 1]),
     * iris from the copy inside Myelin, {@code csv:PATH} from a CSV file with a header whose label column
     * holds the classes. Iris and CSV are split with {@link #TEST_FRACTION} stratified by class and
     * standardised with the training part's mean and deviation. A positive {@code limit} keeps at most
     * that many training and that many test samples.
     */
    static TrainingData load(Request request, PrintWriter log) throws IOException, InterruptedException {
        String name = checkName(request.name());
        String lower = name.toLowerCase(Locale.ROOT);
        TrainingData data;
        if (lower.equals("fashion-mnist")) {
            TrainTest tt = FashionMnistData.load(request.dataDir(), log);
            data = new TrainingData("fashion-mnist", tt.train(), tt.test(), tt.source().toString());
        } else if (lower.equals("mnist")) {
            TrainTest tt = Mnist.load(request.dataDir());
            data = new TrainingData("mnist", tt.train(), tt.test(), tt.source().toString());
        } else if (lower.equals("iris")) {
            data = splitAndScale("iris", Datasets.iris(), "the iris data inside Myelin (UCI)", request.seed());
        } else if (lower.startsWith("csv:") && name.length() > 4) {
            Path file = Path.of(name.substring(4));
            data = splitAndScale(name, csvReader(request.labelColumn()).delimiter(request.delimiter()).read(file), file.toString(), request.seed());
        } else {
            throw new IllegalStateException("checkName let '" + name + "' through");
        }
        return request.limit() > 0 ? data.limit(request.limit()) : data;
    }

    /** {@code name} trimmed when it is one {@link #load} knows, else an exception listing {@link #NAMES}. */
    static String checkName(String name) {
        String n = name == null ? "" : name.trim();
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.equals("fashion-mnist") || lower.equals("mnist") || lower.equals("iris")
                || (lower.startsWith("csv:") && n.length() > 4)) {
            return n;
        }
        throw new IllegalArgumentException("unknown data set '" + name + "': expected " + NAMES);
    }

    private static CsvReader csvReader(String labelColumn) {
        if (labelColumn == null || labelColumn.isBlank()) {
            return CsvReader.labelColumn(-1);
        }
        try {
            return CsvReader.labelColumn(Integer.parseInt(labelColumn.trim()));
        } catch (NumberFormatException notAnIndex) {
            return CsvReader.labelColumn(labelColumn.trim());
        }
    }

    private static TrainingData splitAndScale(String name, Dataset all, String origin, long seed) {
        DataSplit split = all.stratifiedSplit(0, TEST_FRACTION, seed);
        if (split.train().size() == 0 || split.test().size() == 0) {
            throw new IllegalArgumentException(name + ": " + all.size() + " samples cannot be split "
                    + Math.round((1 - TEST_FRACTION) * 100) + "/" + Math.round(TEST_FRACTION * 100)
                    + " into a training and a test part that both hold samples (got " + split.train().size()
                    + " and " + split.test().size() + "); give at least " + (int) Math.ceil(1 / TEST_FRACTION)
                    + " samples, more with several classes");
        }
        StandardScaler scaler = new StandardScaler();
        scaler.fit(split.train().features());
        return new TrainingData(name, scaler.transform(split.train()), scaler.transform(split.test()), origin);
    }

    /** The first {@code n} training and the first {@code n} test samples. */
    TrainingData limit(int n) {
        return new TrainingData(name, first(train, n), first(test, n), origin);
    }

    private static Dataset first(Dataset d, int n) {
        int[] rows = new int[Math.min(n, d.size())];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return d.subset(rows);
    }

    int features() {
        return train.featureCount();
    }

    int classes() {
        return train.classCount();
    }

    /** The targets {@code loss} expects: class indices for the sparse cross-entropy, one-hot rows otherwise. */
    static FloatMatrix targets(Dataset d, Loss loss) {
        return loss.kind() == Loss.Kind.SPARSE_CATEGORICAL_CROSSENTROPY ? d.labels() : d.oneHotLabels();
    }

    String describe() {
        return String.format(Locale.ROOT, "%s: %,d training and %,d test samples, %d features, %d classes (from %s)",
                name, train.size(), test.size(), features(), classes(), origin);
    }
}
