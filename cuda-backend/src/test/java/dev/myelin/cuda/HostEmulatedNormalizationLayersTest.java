package dev.myelin.cuda;

import dev.myelin.nn.NormalizationLayersContract;
import dev.myelin.spi.Backend;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** {@link NormalizationLayersContract} on the CUDA backend's kernels run on the host (skipped without a C++ compiler). */
class HostEmulatedNormalizationLayersTest extends NormalizationLayersContract {

    @Override
    protected Backend createBackend() {
        Optional<HostEmulatedRuntime> runtime = HostEmulatedRuntime.sequential();
        Assumptions.assumeTrue(runtime.isPresent(), HostEmulatedRuntime.unavailableReason());
        return new CudaBackend(runtime.get());
    }
}
