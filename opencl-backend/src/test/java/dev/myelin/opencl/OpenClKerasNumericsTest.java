package dev.myelin.opencl;

import dev.myelin.contract.KerasNumericsContract;
import dev.myelin.spi.Backend;

/** The Keras 3 numerics checks on the OpenCL device the probe picks; skipped with its reason where none can run. */
class OpenClKerasNumericsTest extends KerasNumericsContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(null);
    }
}
