package dev.myelin.cpu;

import dev.myelin.nn.MetricsInFitContract;
import dev.myelin.spi.Backend;

/** The metrics inside fit and evaluate on the CPU backend. */
class CpuMetricsInFitTest extends MetricsInFitContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
