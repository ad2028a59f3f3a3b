package dev.myelin.cuda;

import dev.myelin.contract.BackendContract;
import dev.myelin.spi.Backend;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance suite with cuBLAS and NVRTC called through {@code java.lang.foreign} even where
 * JCuda's CUDA 12 bindings would load, so a CUDA 12 machine also checks the path CUDA 13 machines
 * take. Skipped where the backend cannot run, or where the probe picks that path anyway (the
 * plain conformance test covers it then).
 */
class CudaBackendForeignConformanceTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        CudaBackendProvider provider = new CudaBackendProvider();
        CudaPlan plan = provider.plan();
        String skip = !plan.availability().available()
                ? "CUDA backend unavailable: " + plan.availability().detail()
                : !plan.blas().jcuda() && !plan.compiler().jcuda()
                        ? "the probe already chose java.lang.foreign for cuBLAS and NVRTC: " + plan.availability().detail()
                        : null;
        if (skip != null) {
            // A skip in @BeforeAll leaves no trace in Surefire's reports: say why on the console too.
            System.out.println(getClass().getSimpleName() + " skipped: " + skip);
        }
        Assumptions.assumeTrue(skip == null, skip);
        String old = System.getProperty(CudaBackend.BINDING_PROPERTY);
        System.setProperty(CudaBackend.BINDING_PROPERTY, "foreign");
        try {
            return provider.create();
        } finally {
            if (old == null) {
                System.clearProperty(CudaBackend.BINDING_PROPERTY);
            } else {
                System.setProperty(CudaBackend.BINDING_PROPERTY, old);
            }
        }
    }
}
