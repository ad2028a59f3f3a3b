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

    /**
     * The file (or stream name) the table came from.
     *
     * @return the source's name
     */
    public String source() {
        return source;
    }

    /**
     * The column names from the header (empty without one).
     *
     * @return an unmodifiable list
     */
    public List<String> header() {
        return header;
    }

    /**
     * Number of data records (the header not counted).
     *
     * @return the record count
     */
    public int rowCount() {
        return rows.size();
    }

    /**
     * Number of fields in every record.
     *
     * @return the column count
     */
    public int columnCount() {
        return header.size();
    }

    /**
     * The fields of record {@code row} (a copy).
     *
     * @param row the record index, from 0
     * @return the record's fields
     */
    public String[] row(int row) {
        return rows.get(row).clone();
    }

    /**
     * The field at record {@code row}, column {@code column}.
     *
     * @param row the record index, from 0
     * @param column the column index, from 0
     * @return the field's text
     */
    public String get(int row, int column) {
        Objects.checkIndex(column, header.size());
        return rows.get(row)[column];
    }

    /**
     * The line (from 1) on which record {@code row} starts.
     *
     * @param row the record index, from 0
     * @return the line number in the source
     */
    public long line(int row) {
        Objects.checkIndex(row, rows.size());
        return lines[row];
    }
}
