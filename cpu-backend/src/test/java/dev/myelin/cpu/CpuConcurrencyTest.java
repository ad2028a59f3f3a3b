package dev.myelin.cpu;

import dev.myelin.contract.ConcurrencyContract;
import dev.myelin.spi.Backend;

/** The threading contract on the CPU backend with two worker threads, so kernels split while threads interleave. */
class CpuConcurrencyTest extends ConcurrencyContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(2);
    }
}
