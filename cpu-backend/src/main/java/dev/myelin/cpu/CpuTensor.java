package dev.myelin.cpu;

import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;

/** A tensor of the CPU backend: a row-major {@code float[]} on the Java heap. */
final class CpuTensor extends Tensor {

    private float[] data;

    CpuTensor(CpuBackend backend, Shape shape) {
        super(backend, shape);
        this.data = new float[shape.size()];
    }

    /** The storage; valid until {@link #close()} (the SPI checks that closed tensors are not used). */
    float[] data() {
        return data;
    }

    @Override
    protected void release() {
        // Dropping the reference lets the collector reclaim large tensors even if the object is still held.
        data = null;
    }
}
