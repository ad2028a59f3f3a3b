package dev.myelin.opencl;

import dev.myelin.contract.ConcurrencyContract;
import dev.myelin.spi.Backend;

/** The threading contract on the OpenCL device the probe picks; skipped, with the reason, where none runs. */
class OpenClConcurrencyTest extends ConcurrencyContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(null);
    }
}
