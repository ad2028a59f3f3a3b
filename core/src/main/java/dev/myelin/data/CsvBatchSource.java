package dev.myelin.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Streams a CSV file (RFC 4180, UTF-8, a header row; see {@link CsvReader}) as a {@link BatchSource}: the
 * named target columns are the targets (numbers: class indices, 0/1 labels or regression values), an
 * optional weight column the sample weights, and every other column a feature, in file order.
 *
 * <p>Making the source reads the file once without keeping it, so a malformed record (a missing field, a
 * word where a number belongs) fails here, naming the line and column, before any training; it also
 * counts the samples. Each pass then reads the file again; shuffled passes go through a bounded shuffle
 * buffer of {@link #shuffleBuffer(int)} samples, as {@link IdxBatchSource} does. Parsing a record makes a
 * few short-lived strings (the training step itself allocates nothing). Class names as labels need
 * encoding first (e.g. {@link CsvReader} for a file that fits in memory).
 *
 * <pre>{@code
 * BatchSource train = CsvBatchSource.of(Path.of("train.csv"), "label").weightColumn("weight");
 * }</pre>
 */
public final class CsvBatchSource implements BatchSource {

    private final Path file;
    private final char delimiter;
    private final List<String> targetNames;
    private final String weightName;
    private final int shuffleBuffer;
    private final int[] featureIndex;
    private final int[] targetIndex;
    private final int weightIndex;
    private final int width;
    private final long count;

    private CsvBatchSource(Path file, char delimiter, List<String> targetNames, String weightName, int shuffleBuffer)
            throws IOException {
        this.file = file;
        this.delimiter = delimiter;
        this.targetNames = List.copyOf(targetNames);
        this.weightName = weightName;
        this.shuffleBuffer = shuffleBuffer;
        try (Pass pass = new Pass()) {
            List<String> header = pass.header;
            width = header.size();
            targetIndex = new int[this.targetNames.size()];
            for (int i = 0; i < targetIndex.length; i++) {
                targetIndex[i] = column(header, this.targetNames.get(i), "target");
            }
            weightIndex = weightName == null ? -1 : column(header, weightName, "weight");
            List<Integer> features = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                if (c != weightIndex && !this.targetNames.contains(header.get(c))) {
                    features.add(c);
                }
            }
            if (features.isEmpty()) {
                throw MalformedFileException.atLine(file.toString(), 1, 0, "no feature columns: the header " + header
                        + " holds only targets and weights");
            }
            featureIndex = features.stream().mapToInt(Integer::intValue).toArray();
            float[] record = new float[featureIndex.length + targetIndex.length + (weightIndex >= 0 ? 1 : 0)];
            long n = 0;
            while (pass.next(record, 0)) {
                n++;
            }
            count = n;
        }
    }

    /**
     * A source over {@code file} whose targets are the columns named {@code targetColumns}.
     *
     * @param file a CSV file with a header row
     * @param targetColumns the header names of the target columns (one for class indices), at least one
     * @return a new source with the default shuffle buffer, after a first pass that checks every record
     * @throws IOException if the file cannot be read or is malformed (the message names the line and column)
     */
    public static CsvBatchSource of(Path file, String... targetColumns) throws IOException {
        Objects.requireNonNull(file, "CsvBatchSource.of: argument 'file' is null");
        if (targetColumns.length == 0) {
            throw new IllegalArgumentException("CsvBatchSource.of: argument 'targetColumns' must name at least one"
                    + " column, got none");
        }
        return new CsvBatchSource(file, ',', List.of(targetColumns), null, IdxBatchSource.DEFAULT_SHUFFLE_BUFFER);
    }

    /**
     * The same file with a column of sample weights (checked again with a new first pass).
     *
     * @param name the header name of the weight column
     * @return a new source
     * @throws IOException if the file cannot be read or is malformed
     */
    public CsvBatchSource weightColumn(String name) throws IOException {
        Objects.requireNonNull(name, "weightColumn: argument 'name' is null");
        return new CsvBatchSource(file, delimiter, targetNames, name, shuffleBuffer);
    }

    /**
     * The same file read with another field separator (checked again with a new first pass).
     *
     * @param separator the delimiter, e.g. ';' or '\t'
     * @return a new source
     * @throws IOException if the file cannot be read or is malformed
     */
    public CsvBatchSource delimiter(char separator) throws IOException {
        return new CsvBatchSource(file, separator, targetNames, weightName, shuffleBuffer);
    }

    /**
     * The same file with another shuffle buffer.
     *
     * @param samples the buffer's size in samples, at least 1 (1 does not shuffle at all)
     * @return a new source
     * @throws IOException if the file cannot be read or is malformed
     */
    public CsvBatchSource shuffleBuffer(int samples) throws IOException {
        if (samples < 1) {
            throw new IllegalArgumentException("shuffleBuffer: argument 'samples' must be >= 1, got " + samples);
        }
        return new CsvBatchSource(file, delimiter, targetNames, weightName, samples);
    }

    @Override
    public int features() {
        return featureIndex.length;
    }

    @Override
    public int targetColumns() {
        return targetIndex.length;
    }

    @Override
    public boolean hasSampleWeights() {
        return weightIndex >= 0;
    }

    @Override
    public long samples() {
        return count;
    }

    @Override
    public BatchReader open(boolean shuffle, long seed) throws IOException {
        return new StreamingBatchReader(new Pass(), featureIndex.length, targetIndex.length, weightIndex >= 0,
                shuffle ? shuffleBuffer : 0, seed);
    }

    @Override
    public String toString() {
        return "CsvBatchSource[" + file + ", targets " + targetNames + (weightName == null ? "" : ", weights "
                + weightName) + "]";
    }

    private int column(List<String> header, String name, String role) throws MalformedFileException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw MalformedFileException.atLine(file.toString(), 1, 0, "no " + role + " column named \"" + name
                    + "\"; the header has " + header);
        }
        if (role.equals("weight") && targetNames.contains(name)) {
            throw new IllegalArgumentException("weightColumn: \"" + name + "\" is a target column");
        }
        return i;
    }

    /** One pass over the records, after the header. */
    private final class Pass implements SampleStream {
        private final BufferedReader in;
        private final CsvRecordScanner scanner;
        private final List<String> header;

        Pass() throws IOException {
            in = CsvReader.openUtf8(file);
            try {
                scanner = new CsvRecordScanner(in, file.toString(), delimiter, true);
                List<String> first = scanner.next();
                if (first == null) {
                    throw MalformedFileException.atLine(file.toString(), 1, 0, "empty file: expected a header");
                }
                header = first.stream().map(String::strip).toList();
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        @Override
        public boolean next(float[] record, int offset) throws IOException {
            List<String> r = scanner.next();
            if (r == null) {
                return false;
            }
            long line = scanner.recordLine();
            if (r.size() != header.size()) {
                throw MalformedFileException.atLine(file.toString(), line, 0, "expected " + header.size()
                        + " fields (as the header), found " + r.size());
            }
            int at = offset;
            for (int c : featureIndex) {
                record[at++] = CsvReader.number(r.get(c), file.toString(), line, c, header.get(c));
            }
            for (int c : targetIndex) {
                record[at++] = CsvReader.number(r.get(c), file.toString(), line, c, header.get(c));
            }
            if (weightIndex >= 0) {
                record[at] = CsvReader.number(r.get(weightIndex), file.toString(), line, weightIndex,
                        header.get(weightIndex));
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
