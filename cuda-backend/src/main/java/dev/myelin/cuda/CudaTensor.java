package dev.myelin.cuda;

import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;

/** A tensor in device memory: {@code rows * cols} floats, row-major, in one {@link DeviceBuffer}. */
final class CudaTensor extends Tensor {

    final DeviceBuffer buffer;
    /** Set once the memory is returned, by {@link #close()} or by the backend's shutdown. */
    boolean freed;

    CudaTensor(CudaBackend backend, Shape shape, DeviceBuffer buffer) {
        super(backend, shape);
        this.buffer = buffer;
    }

    @Override
    protected void release() {
        ((CudaBackend) backend()).free(this);
    }
}
