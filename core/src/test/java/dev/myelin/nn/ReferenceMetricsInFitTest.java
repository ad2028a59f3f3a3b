package dev.myelin.nn;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.Backend;

/** The metrics inside fit and evaluate on the float64 reference backend. */
class ReferenceMetricsInFitTest extends MetricsInFitContract {

    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
