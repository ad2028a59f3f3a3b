package dev.myelin.cuda;

import dev.myelin.nn.OptimizerOptionsContract;
import dev.myelin.spi.Backend;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** {@link OptimizerOptionsContract} on the CUDA backend's kernels run on the host (skipped without a C++ compiler). */
class HostEmulatedOptimizerOptionsTest extends OptimizerOptionsContract {

    @Override
    protected Backend createBackend() {
        Optional<HostEmulatedRuntime> runtime = HostEmulatedRuntime.sequential();
        Assumptions.assumeTrue(runtime.isPresent(), HostEmulatedRuntime.unavailableReason());
        return new CudaBackend(runtime.get());
    }
}
