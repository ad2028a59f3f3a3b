package dev.myelin.cuda;

import dev.myelin.contract.KerasNumericsContract;
import dev.myelin.spi.Backend;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The Keras 3 numerics checks on {@link CudaBackend} over a sequential {@link HostEmulatedRuntime}: the
 * real kernel sources compiled for and run on the host. Skipped where no C++ compiler can build them.
 */
class HostEmulatedKerasNumericsTest extends KerasNumericsContract {

    @Override
    protected Backend createBackend() {
        Optional<HostEmulatedRuntime> runtime = HostEmulatedRuntime.sequential();
        Assumptions.assumeTrue(runtime.isPresent(), HostEmulatedRuntime.unavailableReason());
        return new CudaBackend(runtime.get());
    }
}
