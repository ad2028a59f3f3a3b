package dev.myelin.opencl;

import dev.myelin.nn.NormalizationModelContract;
import dev.myelin.spi.Backend;

/** {@link NormalizationModelContract} on the OpenCL device (skipped where none can run). */
class OpenClNormalizationModelTest extends NormalizationModelContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(null);
    }
}
