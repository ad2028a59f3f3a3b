package dev.myelin.opencl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Sets a kernel's arguments in order and enqueues it. Kernels are shared objects and
 * {@code clSetKernelArg} is not thread-safe: a launch is made only under the backend's dispatch lock,
 * and OpenCL copies the argument values at enqueue time, so the next launch may set them again.
 */
final class Launch {

    private final OpenClBackend backend;
    private final cl_kernel kernel;
    private final String name;
    private int index;

    Launch(OpenClBackend backend, cl_kernel kernel, String name) {
        this.backend = backend;
        this.kernel = kernel;
        this.name = name;
    }

    Launch mem(cl_mem m) {
        return arg(Sizeof.cl_mem, Pointer.to(m));
    }

    Launch mem(ClTensor t) {
        return mem(t.mem());
    }

    Launch i32(int v) {
        return arg(Sizeof.cl_int, Pointer.to(new int[] {v}));
    }

    Launch f32(float v) {
        return arg(Sizeof.cl_float, Pointer.to(new float[] {v}));
    }

    Launch i64(long v) {
        return arg(Sizeof.cl_long, Pointer.to(new long[] {v}));
    }

    private Launch arg(long size, Pointer p) {
        Cl.check(clSetKernelArg(kernel, index, size, p), "clSetKernelArg(" + name + ", " + index + ")");
        index++;
        return this;
    }

    /** Enqueues {@code n} work-items (rounded up to a multiple of {@code local}) in groups of {@code local}. */
    void run(long n, long local) {
        run(new long[] {roundUp(n, local)}, new long[] {local});
    }

    /** Enqueues a 2-D range of exactly {@code global} work-items (multiples of {@code local}). */
    void run(long[] global, long[] local) {
        Cl.check(clEnqueueNDRangeKernel(backend.queue(), kernel, global.length, null, global, local, 0, null, null),
                "clEnqueueNDRangeKernel(" + name + ")");
        backend.throttle().enqueued();
    }

    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
