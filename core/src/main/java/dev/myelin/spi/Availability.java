package dev.myelin.spi;

import java.util.Objects;

/**
 * What a provider's {@link BackendProvider#probe()} found: whether the backend can run here, on which
 * device, how it ranks in the default choice, and why (or why not) in words a person can act on.
 *
 * @param backend   the provider name
 * @param available whether {@link BackendProvider#create()} will succeed
 * @param rank      default-choice rank, higher first: {@link #RANK_GPU} + x for GPUs, {@link #RANK_JAVA_CPU}
 *                  for the Java CPU backend, {@link #RANK_OPENCL_CPU} for an OpenCL CPU device
 * @param device    the device, in words ("" when none)
 * @param detail    for an available backend, notes (vector width, threads, why it ranks where it does);
 *                  for an unavailable one, the reason and what to install or set
 */
public record Availability(String backend, boolean available, int rank, String device, String detail) {

    public static final int RANK_GPU = 300;
    public static final int RANK_JAVA_CPU = 200;
    public static final int RANK_OPENCL_CPU = 100;

    /** Checks that no text component is null. */
    public Availability {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * A backend that can run here.
     *
     * @param backend the provider name
     * @param rank the default-choice rank
     * @param device the device, in words
     * @param detail notes on how it runs
     * @return the verdict
     */
    public static Availability ready(String backend, int rank, String device, String detail) {
        return new Availability(backend, true, rank, device, detail);
    }

    /**
     * A backend that cannot run here.
     *
     * @param backend the provider name
     * @param reason why, and what to install or set
     * @return the verdict
     */
    public static Availability unavailable(String backend, String reason) {
        return new Availability(backend, false, 0, "", reason);
    }
}
