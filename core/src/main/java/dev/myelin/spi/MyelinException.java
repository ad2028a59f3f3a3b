package dev.myelin.spi;

/**
 * The base of Myelin's own unchecked exceptions: an error the library detected and can explain
 * (an allocation that does not fit, a backend that cannot run). Bad arguments stay
 * {@link IllegalArgumentException}s and misuse of a closed object {@link IllegalStateException}s, as
 * in the JDK.
 */
public class MyelinException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception whose message says what failed and why.
     *
     * @param message what failed and why, naming the object or argument concerned
     */
    public MyelinException(String message) {
        super(message);
    }

    /**
     * An exception whose message says what failed, caused by {@code cause}.
     *
     * @param message what failed and why, naming the object or argument concerned
     * @param cause the underlying error, kept as {@link #getCause()}; null when unknown
     */
    public MyelinException(String message, Throwable cause) {
        super(message, cause);
    }
}
