package dev.myelin.data;

import java.util.List;
import java.util.Objects;

/**
 * The fields of a CSV file as text: the header (or generated names "column1", ... when the file
 * has none) and each record with the line it starts on, for error messages.
 */
public final class CsvTable {

    private final String source;
    private final List<String> header;
    private final List<String[]> rows;
    private final long[] lines;

    CsvTable(String source, List<String> header, List<String[]> rows, long[] lines) {
        this.source = Objects.requireNonNull(source, "source");
        this.header = List.copyOf(header);
        this.rows = rows;
        this.lines = lines;
    }

    /** The file (or stream name) the table came from. */
    public String source() {
        return source;
    }

    public List<String> header() {
        return header;
    }

    public int rowCount() {
        return rows.size();
    }

    public int columnCount() {
        return header.size();
    }

    /** The fields of record {@code row} (a copy). */
    public String[] row(int row) {
        return rows.get(row).clone();
    }

    /** The field at record {@code row}, column {@code column}. */
    public String get(int row, int column) {
        Objects.checkIndex(column, header.size());
        return rows.get(row)[column];
    }

    /** The line (from 1) on which record {@code row} starts. */
    public long line(int row) {
        Objects.checkIndex(row, rows.size());
        return lines[row];
    }
}
