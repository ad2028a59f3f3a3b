package dev.myelin.data;

import java.io.IOException;
import java.util.Objects;

/**
 * A file whose content does not follow its format: a truncated IDX file, a corrupt safetensors
 * header, a malformed CSV row. The message names the file and where the problem is (a byte offset
 * for binary formats, a line and column for text formats), so a person can open the file there.
 * The reader that throws it has returned nothing and changed nothing.
 */
public class MalformedFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file or stream name. */
    private final String source;
    /** The byte offset, or -1. */
    private final long byteOffset;
    /** The line, or -1. */
    private final long line;
    /** The column, 0 or -1. */
    private final int column;

    private MalformedFileException(String source, long byteOffset, long line, int column, String message,
            Throwable cause) {
        super(message, cause);
        this.source = source;
        this.byteOffset = byteOffset;
        this.line = line;
        this.column = column;
    }

    /**
     * A problem in a binary file at byte {@code offset} (counted from 0).
     *
     * @param source the file (or stream name)
     * @param offset the byte offset
     * @param problem what is wrong there
     * @return the exception
     */
    public static MalformedFileException atByte(Object source, long offset, String problem) {
        return atByte(source, offset, problem, null);
    }

    /**
     * A problem in a binary file at byte {@code offset} (counted from 0), caused by {@code cause}.
     *
     * @param source the file (or stream name)
     * @param offset the byte offset
     * @param problem what is wrong there
     * @param cause the failure behind the problem
     * @return the exception
     */
    public static MalformedFileException atByte(Object source, long offset, String problem, Throwable cause) {
        String name = String.valueOf(Objects.requireNonNull(source, "source"));
        return new MalformedFileException(name, offset, -1, -1, name + ": at byte offset " + offset + ": " + problem,
                cause);
    }

    /**
     * A problem in a text file at {@code line} (from 1) and {@code column} (from 1; 0 when the whole line).
     *
     * @param source the file (or stream name)
     * @param line the line
     * @param column the column
     * @param problem what is wrong there
     * @return the exception
     */
    public static MalformedFileException atLine(Object source, long line, int column, String problem) {
        String name = String.valueOf(Objects.requireNonNull(source, "source"));
        String where = column > 0 ? "line " + line + ", column " + column : "line " + line;
        return new MalformedFileException(name, -1, line, column, name + ": " + where + ": " + problem, null);
    }

    /**
     * The file (or the name given to a stream) that holds the problem.
     *
     * @return the source's name
     */
    public String source() {
        return source;
    }

    /**
     * The byte offset of the problem, or -1 for text formats.
     *
     * @return the byte offset
     */
    public long byteOffset() {
        return byteOffset;
    }

    /**
     * The line (from 1) of the problem, or -1 for binary formats.
     *
     * @return the line
     */
    public long line() {
        return line;
    }

    /**
     * The column (from 1) of the problem; 0 when it concerns the whole line, -1 for binary formats.
     *
     * @return the column
     */
    public int column() {
        return column;
    }
}
