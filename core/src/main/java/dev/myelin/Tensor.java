package dev.myelin;

import dev.myelin.spi.Backend;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A dense row-major float32 matrix whose storage belongs to one {@link Backend}: a Java array,
 * an OpenCL buffer or CUDA device memory. Create tensors with {@link Backend#tensor(int, int)}.
 *
 * <p>Host access is explicit: {@link #copyFrom(float[])} uploads, {@link #toArray()} downloads and
 * waits for every operation enqueued before it. Nothing copies to the host behind the caller's back.
 * A tensor is closed exactly once, from any thread; using it afterwards is an
 * {@link IllegalStateException}. See {@link Backend} for how threads share a backend.
 */
public abstract class Tensor implements AutoCloseable {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Tensor.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Backend backend;
    private final Shape shape;
    /** Set once, by the first {@link #close()} of any thread (compare-and-set). */
    private volatile boolean closed;

    /** For backends: storage of {@code shape} owned by {@code backend}. */
    protected Tensor(Backend backend, Shape shape) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.shape = Objects.requireNonNull(shape, "shape");
    }

    public final Backend backend() {
        return backend;
    }

    public final Shape shape() {
        return shape;
    }

    public final int rows() {
        return shape.rows();
    }

    public final int cols() {
        return shape.cols();
    }

    /** Number of elements. */
    public final int size() {
        return shape.size();
    }

    public final boolean isClosed() {
        return closed;
    }

    /** Uploads all {@link #size()} values of {@code src} (row-major). Returns this tensor. */
    public final Tensor copyFrom(float[] src) {
        return copyFrom(src, 0);
    }

    /** Uploads {@link #size()} values of {@code src} starting at {@code offset}. Returns this tensor. */
    public final Tensor copyFrom(float[] src, int offset) {
        backend.upload(this, src, offset);
        return this;
    }

    /** Downloads the values (row-major) into a new array; waits for pending operations. */
    public final float[] toArray() {
        float[] out = new float[size()];
        copyTo(out, 0);
        return out;
    }

    /** Downloads {@link #size()} values into {@code dst} starting at {@code offset}. */
    public final void copyTo(float[] dst, int offset) {
        backend.download(this, dst, offset);
    }

    /** Frees the storage. Idempotent, and safe to call from several threads: the first call frees it. */
    @Override
    public final void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            backend.released(this, this::release);
        }
    }

    /** For backends: frees the storage; called once, from {@link #close()}. */
    protected abstract void release();

    @Override
    public String toString() {
        return backend.name() + " tensor " + shape + (closed ? " (closed)" : "");
    }
}
