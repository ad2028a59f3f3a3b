package dev.myelin.data;

import java.io.IOException;

/** A data set's files are not where Myelin looked; the message lists the places and how to get the files. */
public class MissingDataException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the files looked for and where to get them.
     *
     * @param message what is missing and how to provide it
     */
    public MissingDataException(String message) {
        super(message);
    }
}
