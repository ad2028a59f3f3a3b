package dev.myelin.cuda;

import dev.myelin.contract.ConcurrencyContract;
import dev.myelin.spi.Backend;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The threading contract on {@link CudaBackend} over a sequential {@link HostEmulatedRuntime}: the
 * backend's stream, staging buffers and kernel table shared by several threads, as on a device.
 * Skipped where no C++ compiler can build the kernels.
 */
class HostEmulatedConcurrencyTest extends ConcurrencyContract {

    @Override
    protected Backend createBackend() {
        Optional<HostEmulatedRuntime> runtime = HostEmulatedRuntime.sequential();
        Assumptions.assumeTrue(runtime.isPresent(), HostEmulatedRuntime.unavailableReason());
        return new CudaBackend(runtime.get());
    }
}
