package dev.myelin.spi;

/**
 * Makes a backend selectable: registered in {@code META-INF/services/dev.myelin.spi.BackendProvider}
 * and found by {@link dev.myelin.Backends} through {@link java.util.ServiceLoader}.
 */
public interface BackendProvider {

    /**
     * Short name users select the backend by: {@code cpu}, {@code opencl}, {@code cuda}.
     *
     * @return the name
     */
    String name();

    /**
     * Finds out, cheaply, whether the backend can run here. Never throws: every failure (a missing
     * native library, no device, a linkage error) becomes an unavailable {@link Availability} with a
     * reason a person can act on.
     *
     * @return the verdict
     */
    Availability probe();

    /**
     * Creates a backend instance the caller owns and closes.
     *
     * @throws dev.myelin.BackendUnavailableException if the backend cannot run here, quoting the reason
     * @return a new backend
     */
    Backend create();
}
