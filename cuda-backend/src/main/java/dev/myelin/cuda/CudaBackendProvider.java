package dev.myelin.cuda;

import dev.myelin.BackendUnavailableException;
import dev.myelin.spi.Availability;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BackendProvider;
import java.util.function.Supplier;

/**
 * Makes the CUDA backend selectable as {@code cuda}. It ranks above an OpenCL GPU: cuBLAS is the
 * faster GEMM on NVIDIA hardware. The device is {@code myelin.cuda.device} (default 0).
 */
public final class CudaBackendProvider implements BackendProvider {

    /** The name users select this backend by: {@value}. */
    public static final String NAME = "cuda";
    /** The default-choice rank of a usable CUDA device: above an OpenCL GPU ({@code RANK_GPU + 10}). */
    public static final int RANK = Availability.RANK_GPU + 20; // above an OpenCL GPU (RANK_GPU + 10)
    /** The system property choosing the CUDA device by number (default 0): {@value}. */
    public static final String DEVICE_PROPERTY = "myelin.cuda.device";

    private final Supplier<LibraryLookup> lookup;
    private final DriverQuery driver;

    /** The provider {@code ServiceLoader} creates: this machine's libraries and driver. */
    public CudaBackendProvider() {
        this(SystemLibraryLookup::new, new JCudaDriverQuery());
    }

    /** A provider over the given library lookup and driver (tests simulate installations with it). */
    CudaBackendProvider(Supplier<LibraryLookup> lookup, DriverQuery driver) {
        this.lookup = lookup;
        this.driver = driver;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability probe() {
        try {
            return plan().availability();
        } catch (Throwable t) {
            return Availability.unavailable(NAME, "probe failed: " + t);
        }
    }

    /** The probe's full verdict: availability, device and the bindings {@link #create()} opens. */
    CudaPlan plan() {
        String ordinal = System.getProperty(DEVICE_PROPERTY, "0").trim();
        int device;
        try {
            device = Integer.parseInt(ordinal);
        } catch (NumberFormatException e) {
            return new CudaPlan(Availability.unavailable(NAME, DEVICE_PROPERTY + " must be a device number, got '"
                    + ordinal + "'"), null, 0, null, null);
        }
        return CudaProbe.plan(CudaLibraries.locate(lookup.get()), driver, device);
    }

    @Override
    public Backend create() {
        CudaPlan plan = plan();
        if (!plan.availability().available()) {
            throw new BackendUnavailableException("backend '" + NAME + "' is unavailable: "
                    + plan.availability().detail());
        }
        try {
            return new CudaBackend(plan);
        } catch (LinkageError | RuntimeException e) {
            // A library that cannot be loaded or bound, a device that refuses a context: the
            // probe looked only at files and the driver's answers, so these surface here.
            throw new BackendUnavailableException("backend '" + NAME + "' could not start on "
                    + plan.availability().device() + ": " + e.getMessage(), e);
        }
    }
}
