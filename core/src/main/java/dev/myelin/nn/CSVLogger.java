package dev.myelin.nn;

import dev.myelin.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's {@code CSVLogger}: one row per epoch, columns {@code epoch} then the log keys sorted, as
 * Python's csv module writes them (rows end in {@code \r\n}, numbers as Python prints them). The keys are
 * fixed at the first epoch; when it has no {@code val_} keys, a {@code val_} column is added for each (so
 * a later validation, with {@link FitOptions#validationFreq(int)}, has its columns), and a missing value is
 * written {@code NA}. With {@code append} the rows go after the file's existing ones (no second header).
 * Keras's defaults: separator {@code ","}, append false.
 *
 * <p>The file is rewritten atomically after each epoch, so a crash leaves the rows of the finished epochs.
 */
public final class CSVLogger implements Callback {

    private final Path file;
    private final String separator;
    private final boolean append;
    private final StringBuilder text = new StringBuilder();
    private List<String> keys;

    /**
     * A logger to {@code file} with Keras's defaults (comma, overwrite).
     *
     * @param file the CSV file, not null
     */
    public CSVLogger(Path file) {
        this(file, ",", false);
    }

    /**
     * A logger to {@code file}.
     *
     * @param file the CSV file, not null
     * @param separator the column separator, one character or more, not empty
     * @param append true to add rows after the file's existing ones
     * @throws IllegalArgumentException if the separator is empty
     */
    public CSVLogger(Path file, String separator, boolean append) {
        this.file = Objects.requireNonNull(file, "CSVLogger: argument 'filename' is null");
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("CSVLogger: argument 'separator' must not be empty, got '" + separator
                    + "'");
        }
        this.separator = separator;
        this.append = append;
    }

    @Override
    public void onTrainBegin(Sequential model) {
        text.setLength(0);
        keys = null;
        try {
            if (append && Files.exists(file)) {
                text.append(Files.readString(file, StandardCharsets.UTF_8));
            }
            // Keras opens the file for writing here: an unwritable file fails before training, and without
            // append the old rows are gone even if no epoch ends.
            if (append) {
                AtomicFile.checkDestination(file, false);
            } else {
                AtomicFile.writeString(file, "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + file, e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (keys == null) {
            keys = new ArrayList<>(logs.keySet().stream().sorted().toList());
            if (!keys.isEmpty() && keys.stream().noneMatch(k -> k.startsWith("val_"))) {
                keys.addAll(keys.stream().map(k -> "val_" + k).toList());
            }
            // Keras writes a header unless it appends to a file that has a first line.
            if (text.isEmpty()) {
                row(new ArrayList<>(List.of("epoch")), keys);
            }
        }
        List<String> cells = new ArrayList<>(List.of(Integer.toString(epoch)));
        for (String k : keys) {
            Double v = logs.get(k);
            cells.add(v == null ? "NA" : PythonFormat.repr(v));
        }
        row(cells, List.of());
        try {
            AtomicFile.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + file, e);
        }
    }

    private void row(List<String> cells, List<String> more) {
        cells.addAll(more);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                text.append(separator);
            }
            text.append(quote(cells.get(i)));
        }
        text.append("\r\n");
    }

    /** Python's csv minimal quoting: a cell holding the separator, a quote or a line break is quoted. */
    private String quote(String cell) {
        if (cell.contains(separator) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }
        return cell;
    }
}
