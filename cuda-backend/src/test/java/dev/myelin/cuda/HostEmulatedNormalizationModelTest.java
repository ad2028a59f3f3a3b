package dev.myelin.cuda;

import dev.myelin.nn.NormalizationModelContract;
import dev.myelin.spi.Backend;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** {@link NormalizationModelContract} on the CUDA backend's kernels run on the host (skipped without a C++ compiler). */
class HostEmulatedNormalizationModelTest extends NormalizationModelContract {

    @Override
    protected Backend createBackend() {
        Optional<HostEmulatedRuntime> runtime = HostEmulatedRuntime.sequential();
        Assumptions.assumeTrue(runtime.isPresent(), HostEmulatedRuntime.unavailableReason());
        return new CudaBackend(runtime.get());
    }
}
