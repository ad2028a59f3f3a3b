package dev.myelin.cpu;

import dev.myelin.BackendUnavailableException;
import dev.myelin.spi.Availability;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BackendProvider;

/**
 * The pure-Java CPU backend. Always available: with the Vector API module it runs SIMD kernels,
 * without it a scalar path (and says how to enable the vector one).
 */
public final class CpuBackendProvider implements BackendProvider {

    /** The name users select this backend by: {@value}. */
    public static final String NAME = "cpu";

    /** The provider {@code ServiceLoader} creates. */
    public CpuBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability probe() {
        try {
            int threads;
            try {
                threads = CpuInfo.threadsFromProperty();
            } catch (IllegalArgumentException e) {
                return Availability.unavailable(NAME, e.getMessage());
            }
            String detail = VectorSupport.available()
                    ? VectorSupport.kernels().describe() + ", " + threads + (threads == 1 ? " thread" : " threads")
                    : VectorSupport.SCALAR_DETAIL;
            return Availability.ready(NAME, Availability.RANK_JAVA_CPU, CpuInfo.device(), detail);
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable(NAME, "CPU backend failed to start: " + e);
        }
    }

    @Override
    public Backend create() {
        try {
            return new CpuBackend();
        } catch (IllegalArgumentException e) {
            throw new BackendUnavailableException("backend 'cpu' is unavailable: " + e.getMessage(), e);
        }
    }
}
