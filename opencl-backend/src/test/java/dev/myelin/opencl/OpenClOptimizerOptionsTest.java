package dev.myelin.opencl;

import dev.myelin.nn.OptimizerOptionsContract;
import dev.myelin.spi.Backend;

/** Keras 3's optimizer options over several steps on the OpenCL device (skipped where none can run). */
class OpenClOptimizerOptionsTest extends OptimizerOptionsContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(null);
    }
}
