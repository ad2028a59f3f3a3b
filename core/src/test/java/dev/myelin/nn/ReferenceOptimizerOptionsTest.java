package dev.myelin.nn;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.Backend;

/** The optimizer options on the float64 reference backend. */
class ReferenceOptimizerOptionsTest extends OptimizerOptionsContract {

    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
