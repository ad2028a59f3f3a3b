package dev.myelin;

import dev.myelin.spi.MyelinException;

/** A backend was asked for by name but cannot run here; the message quotes the probe's reason. */
public class BackendUnavailableException extends MyelinException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}, which names the backend and the reason.
     *
     * @param message what was asked for and why it cannot run
     */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * An exception with {@code message} and the failure that caused it.
     *
     * @param message what was asked for and why it cannot run
     * @param cause the failure that made the backend unusable
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
