package dev.myelin.cpu;

import dev.myelin.nn.SampleWeightsInFitContract;
import dev.myelin.spi.Backend;

/** Sample and class weights inside fit and evaluate on the CPU backend. */
class CpuSampleWeightsInFitTest extends SampleWeightsInFitContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
