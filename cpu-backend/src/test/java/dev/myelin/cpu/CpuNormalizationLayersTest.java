package dev.myelin.cpu;

import dev.myelin.nn.NormalizationLayersContract;
import dev.myelin.spi.Backend;

/** {@link NormalizationLayersContract} on the CPU backend. */
class CpuNormalizationLayersTest extends NormalizationLayersContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
