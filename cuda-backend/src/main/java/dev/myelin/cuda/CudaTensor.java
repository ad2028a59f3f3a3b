package dev.myelin.cuda;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import jcuda.driver.CUdeviceptr;

/** A tensor in CUDA device memory: {@code rows * cols} floats, row-major, at one {@code CUdeviceptr}. */
final class CudaTensor extends Tensor {

    final DeviceBuffer buffer;
    /** Set once the memory is returned, by {@link #close()} or by the backend's shutdown. */
    boolean freed;

    CudaTensor(CudaBackend backend, Shape shape, CUdeviceptr pointer) {
        super(backend, shape);
        this.buffer = DeviceBuffer.of(pointer);
    }

    CUdeviceptr pointer() {
        return buffer.pointer();
    }

    @Override
    protected void release() {
        ((CudaBackend) backend()).free(this);
    }
}
