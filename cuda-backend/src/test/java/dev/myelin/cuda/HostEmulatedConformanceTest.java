package dev.myelin.cuda;

import dev.myelin.contract.BackendContract;
import dev.myelin.spi.Backend;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance suite on {@link CudaBackend} over a sequential {@link HostEmulatedRuntime}: the
 * operation layer and the real kernel sources, compiled for and run on the host. It checks the kernels'
 * formulas and the launches' arguments without a GPU; see {@link HostEmulatedRuntime} for what it
 * cannot check. Skipped where no C++ compiler can build the kernels.
 */
class HostEmulatedConformanceTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        Optional<HostEmulatedRuntime> runtime = HostEmulatedRuntime.sequential();
        if (runtime.isEmpty()) {
            System.out.println(getClass().getSimpleName() + " skipped: " + HostEmulatedRuntime.unavailableReason());
        }
        Assumptions.assumeTrue(runtime.isPresent(), HostEmulatedRuntime.unavailableReason());
        return new CudaBackend(runtime.get());
    }
}
