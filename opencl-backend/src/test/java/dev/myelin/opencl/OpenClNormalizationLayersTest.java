package dev.myelin.opencl;

import dev.myelin.nn.NormalizationLayersContract;
import dev.myelin.spi.Backend;

/** {@link NormalizationLayersContract} on the OpenCL device (skipped where none can run). */
class OpenClNormalizationLayersTest extends NormalizationLayersContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(null);
    }
}
