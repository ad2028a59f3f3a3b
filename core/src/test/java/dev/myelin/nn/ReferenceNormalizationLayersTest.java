package dev.myelin.nn;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.Backend;

/** {@link NormalizationLayersContract} on the float64 reference backend. */
class ReferenceNormalizationLayersTest extends NormalizationLayersContract {

    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
