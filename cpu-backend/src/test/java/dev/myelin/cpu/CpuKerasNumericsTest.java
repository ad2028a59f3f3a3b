package dev.myelin.cpu;

import dev.myelin.contract.KerasNumericsContract;
import dev.myelin.spi.Backend;

/** The Keras 3 numerics checks on the CPU backend, run with and without the Vector API (as the conformance suite). */
class CpuKerasNumericsTest extends KerasNumericsContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
