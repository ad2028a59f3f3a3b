package dev.myelin.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A small table of strings, printed aligned for a terminal or as Markdown for a report. */
final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] rightAligned;

    /** Columns whose name starts with '>' are right-aligned (numbers); the '>' is not shown. */
    Table(String... columns) {
        rightAligned = new boolean[columns.length];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            rightAligned[i] = columns[i].startsWith(">");
            names.add(rightAligned[i] ? columns[i].substring(1) : columns[i]);
        }
        header = List.copyOf(names);
    }

    Table add(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("Table.add: expected " + header.size() + " cells " + header
                    + ", got " + cells.length + " " + Arrays.toString(cells));
        }
        rows.add(Arrays.stream(cells).map(c -> Objects.requireNonNullElse(c, "")).toList());
        return this;
    }

    int rowCount() {
        return rows.size();
    }

    String toText() {
        int[] width = widths();
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, "  ");
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        line(sb, rule, width, "  ");
        for (List<String> row : rows) {
            line(sb, row, width, "  ");
        }
        return sb.toString();
    }

    String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header.stream().map(Table::escape).toList())).append(" |\n|");
        for (boolean right : rightAligned) {
            sb.append(right ? " ---: |" : " --- |");
        }
        sb.append('\n');
        for (List<String> row : rows) {
            sb.append("| ").append(String.join(" | ", row.stream().map(Table::escape).toList())).append(" |\n");
        }
        return sb.toString();
    }

    private int[] widths() {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        return width;
    }

    private void line(StringBuilder sb, List<String> cells, int[] width, String gap) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            line.append(i == 0 ? "" : gap).append(rightAligned[i] ? pad + c : c + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }
}
