package dev.myelin.cuda;

import dev.myelin.contract.BackendContract;
import dev.myelin.spi.Availability;
import dev.myelin.spi.Backend;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance suite on the CUDA backend, with the bindings the probe chooses (JCuda's for
 * CUDA 12 libraries, {@code java.lang.foreign} for CUDA 13). Skipped, with the probe's reason,
 * where the backend cannot run.
 */
class CudaBackendConformanceTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        CudaBackendProvider provider = new CudaBackendProvider();
        Availability a = provider.probe();
        if (!a.available()) {
            // A skip in @BeforeAll leaves no trace in Surefire's reports: say why on the console too.
            System.out.println(getClass().getSimpleName() + " skipped: CUDA backend unavailable: " + a.detail());
        }
        Assumptions.assumeTrue(a.available(), "CUDA backend unavailable: " + a.detail());
        return provider.create();
    }
}
