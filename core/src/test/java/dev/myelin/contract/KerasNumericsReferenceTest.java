package dev.myelin.contract;

import dev.myelin.spi.Backend;

/** The Keras 3 numerics checks on the reference backend (the suite checking itself). */
class KerasNumericsReferenceTest extends KerasNumericsContract {
    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
