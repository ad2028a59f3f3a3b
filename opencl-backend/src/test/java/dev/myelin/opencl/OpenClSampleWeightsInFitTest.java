package dev.myelin.opencl;

import dev.myelin.nn.SampleWeightsInFitContract;
import dev.myelin.spi.Backend;

/** Sample and class weights inside fit and evaluate on the OpenCL device (skipped where none can run). */
class OpenClSampleWeightsInFitTest extends SampleWeightsInFitContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(null);
    }
}
