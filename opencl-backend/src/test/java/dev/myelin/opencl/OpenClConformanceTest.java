package dev.myelin.opencl;

import dev.myelin.contract.BackendContract;
import dev.myelin.spi.Backend;

/**
 * The conformance suite on the OpenCL device the probe picks (PoCL's CPU device in CI), with the GEMM
 * kernel that device gets by default. Skipped, with the probe's reason, where no OpenCL device can run.
 */
class OpenClConformanceTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(null);
    }
}
