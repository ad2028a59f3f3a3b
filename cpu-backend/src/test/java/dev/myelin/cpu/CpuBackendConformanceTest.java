package dev.myelin.cpu;

import dev.myelin.contract.BackendContract;
import dev.myelin.spi.Backend;

/**
 * The conformance suite on the CPU backend. Surefire runs it twice: with the Vector API module
 * (the default execution) and without it (the {@code scalar-path} execution).
 */
class CpuBackendConformanceTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
