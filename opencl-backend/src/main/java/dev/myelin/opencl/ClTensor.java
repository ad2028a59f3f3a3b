package dev.myelin.opencl;

import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import org.jocl.cl_mem;

/** A tensor stored in one OpenCL buffer of {@code size() * 4} bytes, released on close. */
final class ClTensor extends Tensor {

    private final OpenClBackend owner;
    private cl_mem mem;

    ClTensor(OpenClBackend owner, Shape shape, cl_mem mem) {
        super(owner, shape);
        this.owner = owner;
        this.mem = mem;
    }

    cl_mem mem() {
        return mem;
    }

    long bytes() {
        return (long) size() * Float.BYTES;
    }

    @Override
    protected void release() {
        owner.free(this);
        mem = null;
    }
}
