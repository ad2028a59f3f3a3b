package dev.myelin.cpu;

import dev.myelin.nn.NormalizationModelContract;
import dev.myelin.spi.Backend;

/** {@link NormalizationModelContract} on the CPU backend. */
class CpuNormalizationModelTest extends NormalizationModelContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
