package dev.myelin.nn;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.Backend;

/** Sample and class weights inside fit and evaluate on the float64 reference backend. */
class ReferenceSampleWeightsInFitTest extends SampleWeightsInFitContract {

    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
