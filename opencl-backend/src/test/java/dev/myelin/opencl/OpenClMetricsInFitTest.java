package dev.myelin.opencl;

import dev.myelin.nn.MetricsInFitContract;
import dev.myelin.spi.Backend;

/** The metrics inside fit and evaluate on the OpenCL device (skipped where none can run). */
class OpenClMetricsInFitTest extends MetricsInFitContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(null);
    }
}
