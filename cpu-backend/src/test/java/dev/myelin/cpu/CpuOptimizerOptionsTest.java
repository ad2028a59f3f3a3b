package dev.myelin.cpu;

import dev.myelin.nn.OptimizerOptionsContract;
import dev.myelin.spi.Backend;

/** Keras 3's optimizer options over several steps on the CPU backend. */
class CpuOptimizerOptionsTest extends OptimizerOptionsContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
