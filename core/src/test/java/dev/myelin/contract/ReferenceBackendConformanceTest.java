package dev.myelin.contract;

import dev.myelin.spi.Backend;

/** The conformance suite run on the reference backend: checks the suite and the reference agree. */
class ReferenceBackendConformanceTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
