package dev.myelin;

/** A backend was asked for by name but cannot run here; the message quotes the probe's reason. */
public class BackendUnavailableException extends MyelinException {

    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
