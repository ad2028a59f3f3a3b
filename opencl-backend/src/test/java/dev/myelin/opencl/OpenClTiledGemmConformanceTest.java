package dev.myelin.opencl;

import dev.myelin.contract.BackendContract;
import dev.myelin.spi.Backend;

/**
 * The conformance suite again with the local-memory tiled GEMM that GPUs get, forced onto whatever
 * device is present, so that kernel is proven on PoCL in CI even though no GPU is.
 */
class OpenClTiledGemmConformanceTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return OpenClTestDevice.open(Sgemm.Kind.TILED);
    }
}
