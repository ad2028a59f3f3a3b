package dev.myelin.data;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads a CSV file (RFC 4180) of numeric feature columns and one label column into a {@link Dataset}.
 *
 * <p>Fields are separated by the delimiter (',' unless set) and records by LF or CRLF; a field in
 * double quotes may hold delimiters, line breaks and doubled quotes ({@code ""} for {@code "}).
 * Blank lines (empty or only spaces) are skipped. The first record is the header unless {@link #withoutHeader()}.
 * Every record must have as many fields as the header. Features must be decimal numbers;
 * labels are class names mapped through a {@link LabelEncoder} (fitted on the file's labels, or a
 * given one so a test file uses the training file's classes), or numbers with {@link #numericLabels()}.
 * Any problem is a {@link MalformedFileException} naming the file, line and column; nothing is returned.
 *
 * <pre>{@code
 * Dataset iris = CsvReader.labelColumn("species").read(Path.of("iris.csv"));
 * }</pre>
 */
public final class CsvReader {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final String labelName;
    private final int labelIndex;
    private final char delimiter;
    private final boolean header;
    private final boolean numericLabels;
    private final LabelEncoder encoder;

    private CsvReader(String labelName, int labelIndex, char delimiter, boolean header, boolean numericLabels,
            LabelEncoder encoder) {
        this.labelName = labelName;
        this.labelIndex = labelIndex;
        this.delimiter = delimiter;
        this.header = header;
        this.numericLabels = numericLabels;
        this.encoder = encoder;
    }

    /**
     * A reader whose labels are in the column named {@code name} in the header.
     *
     * @param name the header's name of the label column
     * @return a new reader
     */
    public static CsvReader labelColumn(String name) {
        Objects.requireNonNull(name, "name");
        return new CsvReader(name, -1, ',', true, false, null);
    }

    /**
     * A reader whose labels are in column {@code index} (from 0; negative counts from the end: -1 is the last).
     *
     * @param index the label column's index
     * @return a new reader
     */
    public static CsvReader labelColumn(int index) {
        return new CsvReader(null, index, ',', true, false, null);
    }

    /**
     * Fields separated by {@code delimiter} instead of ','.
     *
     * @param delimiter the field separator
     * @return this reader
     */
    public CsvReader delimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter: expected a character other than quote and line breaks, got "
                    + (int) delimiter);
        }
        return new CsvReader(labelName, labelIndex, delimiter, header, numericLabels, encoder);
    }

    /**
     * The first record is data, not a header (the label column must then be given by index).
     *
     * @return this reader
     */
    public CsvReader withoutHeader() {
        if (labelName != null) {
            throw new IllegalArgumentException("withoutHeader: the label column is named (\"" + labelName
                    + "\"), which needs a header; give it by index instead");
        }
        return new CsvReader(labelName, labelIndex, delimiter, false, numericLabels, encoder);
    }

    /**
     * Labels are numbers (regression targets), read into a {@code [n x 1]} matrix without classes.
     *
     * @return this reader
     */
    public CsvReader numericLabels() {
        return new CsvReader(labelName, labelIndex, delimiter, header, true, null);
    }

    /**
     * Class labels mapped through {@code fitted} (e.g. the training file's encoder); unknown labels are errors.
     *
     * @param fitted an encoder fitted to the class names
     * @return this reader
     */
    public CsvReader labelEncoder(LabelEncoder fitted) {
        Objects.requireNonNull(fitted, "fitted");
        if (!fitted.isFitted()) {
            throw new IllegalArgumentException("fitted: expected a fitted LabelEncoder, got one not fitted");
        }
        return new CsvReader(labelName, labelIndex, delimiter, header, false, fitted);
    }

    /**
     * Reads {@code file} (UTF-8).
     *
     * @param file a CSV file
     * @return the features and labels it holds
     * @throws java.io.IOException if the file cannot be read or is malformed ({@link
     *     dev.myelin.data.MalformedFileException} names the line)
     */
    public Dataset read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a folder; expected a CSV file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file; expected a CSV file (UTF-8, "
                    + (header ? "a header row, then " : "") + "one record per line: the feature columns and a label column)");
        }
        try (Reader in = openUtf8(file)) {
            return read(parse(in, file.toString(), delimiter, header, true));
        }
    }

    /**
     * Reads {@code in}; {@code source} names it in error messages.
     *
     * @param in the CSV text
     * @param source the name used in error messages
     * @return the features and labels it holds
     * @throws java.io.IOException if reading fails or the text is malformed ({@link
     *     dev.myelin.data.MalformedFileException} names the line)
     */
    public Dataset read(Reader in, String source) throws IOException {
        return read(parse(in, source, delimiter, header));
    }

    private Dataset read(CsvTable table) throws IOException {
        String source = table.source();
        if (table.columnCount() < 2) {
            throw MalformedFileException.atLine(source, 1, 0, "one column only; expected features and a label"
                    + " separated by '" + delimiter + "'" + otherDelimiterHint(table.header().getFirst()));
        }
        int label = labelColumnOf(table);
        int rows = table.rowCount();
        int featureCount = table.columnCount() - 1;
        float[] features = new float[Math.multiplyExact(rows, featureCount)];
        List<String> labels = new ArrayList<>(rows);
        float[] targets = numericLabels ? new float[rows] : null;
        for (int r = 0; r < rows; r++) {
            int f = 0;
            for (int c = 0; c < table.columnCount(); c++) {
                if (c == label) {
                    continue;
                }
                features[r * featureCount + f++] = number(table, r, c);
            }
            if (numericLabels) {
                targets[r] = number(table, r, label);
            } else {
                String name = table.get(r, label).strip();
                if (name.isEmpty()) {
                    throw error(table, r, label, "empty label");
                }
                if (encoder != null && !encoder.contains(name)) {
                    throw error(table, r, label, "label \"" + name + "\" is not one of the classes " + encoder.classes());
                }
                labels.add(name);
            }
        }
        FloatMatrix x = new FloatMatrix(rows, featureCount, features);
        if (numericLabels) {
            return Dataset.ofTargets(x, new FloatMatrix(rows, 1, targets));
        }
        if (rows == 0) {
            throw MalformedFileException.atLine(source, 1, 0, "no data records");
        }
        LabelEncoder classes = encoder != null ? encoder : new LabelEncoder().fit(labels);
        return Dataset.ofClasses(x, classes.transform(labels), classes.classes());
    }

    /** A hint naming the delimiter a one-column first record seems to use instead, or "". */
    private String otherDelimiterHint(String firstField) {
        for (char c : new char[] {';', '\t', '|', ','}) {
            if (c != delimiter && firstField.indexOf(c) >= 0) {
                String shown = c == '\t' ? "\\t (tab)" : String.valueOf(c);
                return "; the first record \"" + firstField + "\" looks separated by '" + shown
                        + "': set the delimiter to it";
            }
        }
        return "";
    }

    private int labelColumnOf(CsvTable table) throws MalformedFileException {
        if (labelName != null) {
            int i = table.header().indexOf(labelName);
            if (i < 0) {
                throw MalformedFileException.atLine(table.source(), 1, 0, "no column named \"" + labelName
                        + "\"; the header has " + table.header());
            }
            return i;
        }
        int i = labelIndex < 0 ? table.columnCount() + labelIndex : labelIndex;
        if (i < 0 || i >= table.columnCount()) {
            throw MalformedFileException.atLine(table.source(), 1, 0, "label column " + labelIndex
                    + " does not exist: the file has " + table.columnCount() + " columns");
        }
        return i;
    }

    private static float number(CsvTable table, int row, int column) throws MalformedFileException {
        return number(table.get(row, column), table.source(), table.line(row), column, table.header().get(column));
    }

    /** Parses a feature or numeric label; a problem names the file, line, column (0-based here) and its name. */
    static float number(String field, String source, long line, int column, String name) throws MalformedFileException {
        String text = field.strip();
        String problem = null;
        if (text.isEmpty()) {
            problem = "empty field where a number was expected (missing value)";
        } else if (!DECIMAL.matcher(text).matches()) {
            problem = "\"" + text + "\" is not a decimal number";
        } else {
            float v = Float.parseFloat(text);
            if (!Float.isInfinite(v)) {
                return v;
            }
            problem = "\"" + text + "\" is out of the float32 range";
        }
        throw MalformedFileException.atLine(source, line, column + 1, "(\"" + name + "\") " + problem);
    }

    /** A reader of {@code file} as UTF-8 whose malformed bytes become U+FFFD (the scanner rejects them). */
    static BufferedReader openUtf8(Path file) throws IOException {
        // A strict decoder would fail on its read-ahead, lines before the bad byte.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder));
    }

    private static MalformedFileException error(CsvTable table, int row, int column, String problem) {
        return MalformedFileException.atLine(table.source(), table.line(row), column + 1,
                "(\"" + table.header().get(column) + "\") " + problem);
    }

    /**
     * Splits {@code in} into records and fields (RFC 4180, see the class comment).
     *
     * @param hasHeader whether the first record names the columns
     * @param in the CSV text
     * @param source the name used in error messages
     * @param delimiter the field separator
     * @return the records and, when {@code hasHeader}, the header
     * @throws java.io.IOException if reading fails or a quoted field is not closed
     */
    public static CsvTable parse(Reader in, String source, char delimiter, boolean hasHeader) throws IOException {
        return parse(in, source, delimiter, hasHeader, false);
    }

    /** @param rejectReplacement U+FFFD marks bytes that were not UTF-8: an error at that line and column */
    private static CsvTable parse(Reader in, String source, char delimiter, boolean hasHeader, boolean rejectReplacement)
            throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        CsvRecordScanner scanner = new CsvRecordScanner(in instanceof BufferedReader b ? b : new BufferedReader(in), source,
                delimiter, rejectReplacement);
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        int width = -1;
        long headerLine = 0;
        List<String> record;
        while ((record = scanner.next()) != null) {
            long line = scanner.recordLine();
            if (width < 0) {
                width = record.size();
                if (hasHeader) {
                    header = record.stream().map(String::strip).toList();
                    headerLine = line;
                    continue;
                }
            } else if (record.size() != width) {
                throw MalformedFileException.atLine(source, line, 0, "expected " + width + " fields (as "
                        + (hasHeader ? "the header on line " + headerLine : "the first record") + "), found " + record.size());
            }
            rows.add(record.toArray(String[]::new));
            lines.add(line);
        }
        if (width < 0) {
            throw MalformedFileException.atLine(source, 1, 0, "empty file: expected " + (hasHeader ? "a header" : "records"));
        }
        if (header == null) {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= width; i++) {
                names.add("column" + i);
            }
            header = names;
        }
        long[] lineArray = lines.stream().mapToLong(Long::longValue).toArray();
        return new CsvTable(source, header, rows, lineArray);
    }
}
