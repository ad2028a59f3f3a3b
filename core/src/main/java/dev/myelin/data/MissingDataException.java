package dev.myelin.data;

import java.io.IOException;

/** A data set's files are not where Myelin looked; the message lists the places and how to get the files. */
public class MissingDataException extends IOException {

    private static final long serialVersionUID = 1L;

    public MissingDataException(String message) {
        super(message);
    }
}
