package dev.myelin.nn;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.Backend;

/** {@link NormalizationModelContract} on the float64 reference backend. */
class ReferenceNormalizationModelTest extends NormalizationModelContract {

    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
