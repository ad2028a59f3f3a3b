package dev.myelin.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The character-level state machine of RFC 4180 (see {@link CsvReader}), one record per call. */
final class CsvRecordScanner {
    private final BufferedReader in;
    private final String source;
    private final char delimiter;
    private final boolean rejectReplacement;
    private long line = 1;
    private long recordLine;
    private int pushedBack = -2;
    private boolean first = true;

    CsvRecordScanner(BufferedReader in, String source, char delimiter, boolean rejectReplacement) {
        this.in = in;
        this.source = source;
        this.delimiter = delimiter;
        this.rejectReplacement = rejectReplacement;
    }

    long recordLine() {
        return recordLine;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        int c = in.read();
        if (first) {
            first = false;
            if (c == '\uFEFF') {
                c = in.read();
            }
        }
        return c;
    }

    /** The next non-blank record, or null at the end. */
    List<String> next() throws IOException {
        while (true) {
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean afterQuote = false;
            long quoteLine = 0;
            boolean sawQuote = false;
            while (true) {
                int c = read();
                if (c == '\uFFFD' && rejectReplacement) {
                    throw MalformedFileException.atLine(source, line, fields.size() + 1,
                            "bytes that are not valid UTF-8 (save the file as UTF-8)");
                }
                if (quoted) {
                    if (c < 0) {
                        throw MalformedFileException.atLine(source, quoteLine, fields.size() + 1,
                                "quoted field is never closed (the file ends inside it)");
                    }
                    if (c == '"') {
                        int d = read();
                        if (d == '"') {
                            field.append('"');
                        } else {
                            pushedBack = d;
                            quoted = false;
                            afterQuote = true;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                    continue;
                }
                if (c < 0 || c == '\n' || c == '\r') {
                    if (c == '\r') {
                        int d = read();
                        if (d != '\n') {
                            pushedBack = d;
                        }
                    }
                    if (c >= 0) {
                        line++;
                    }
                    if (!sawQuote && fields.isEmpty() && field.toString().isBlank()) {
                        if (c < 0) {
                            return null;
                        }
                        break; // blank line: scan the next one
                    }
                    fields.add(field.toString());
                    return fields;
                }
                if (c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                    afterQuote = false;
                } else if (afterQuote) {
                    if (c != ' ' && c != '\t') {
                        throw MalformedFileException.atLine(source, line, fields.size() + 1,
                                "unexpected '" + (char) c + "' after the closing quote of a quoted field");
                    }
                } else if (c == '"') {
                    if (!field.toString().isBlank()) {
                        throw MalformedFileException.atLine(source, line, fields.size() + 1,
                                "quote inside an unquoted field: quote the whole field and double the quote");
                    }
                    field.setLength(0);
                    quoted = true;
                    sawQuote = true;
                    quoteLine = line;
                } else {
                    field.append((char) c);
                }
            }
        }
    }
}
