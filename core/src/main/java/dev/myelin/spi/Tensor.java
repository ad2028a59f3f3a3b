package dev.myelin.spi;

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

    /**
     * For backends: storage of {@code shape} owned by {@code backend}.
     *
     * @param backend the backend that owns the storage
     * @param shape the tensor's shape
     */
    protected Tensor(Backend backend, Shape shape) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.shape = Objects.requireNonNull(shape, "shape");
    }

    /**
     * The backend whose device holds this tensor.
     *
     * @return the owning backend
     */
    public final Backend backend() {
        return backend;
    }

    /**
     * The tensor's rows and columns.
     *
     * @return the shape
     */
    public final Shape shape() {
        return shape;
    }

    /**
     * Number of rows.
     *
     * @return {@code shape().rows()}
     */
    public final int rows() {
        return shape.rows();
    }

    /**
     * Number of columns.
     *
     * @return {@code shape().cols()}
     */
    public final int cols() {
        return shape.cols();
    }

    /**
     * Number of elements.
     *
     * @return {@code rows() * cols()}
     */
    public final int size() {
        return shape.size();
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public final boolean isClosed() {
        return closed;
    }

    /**
     * Uploads all {@link #size()} values of {@code src} (row-major). Returns this tensor.
     *
     * @param src {@link #size()} values or more, row-major
     * @return this tensor
     */
    public final Tensor copyFrom(float[] src) {
        return copyFrom(src, 0);
    }

    /**
     * Uploads {@link #size()} values of {@code src} starting at {@code offset}. Returns this tensor.
     *
     * @param src the values, row-major
     * @param offset index in {@code src} of the first value
     * @return this tensor
     */
    public final Tensor copyFrom(float[] src, int offset) {
        backend.upload(this, src, offset);
        return this;
    }

    /**
     * Downloads the values (row-major) into a new array; waits for pending operations.
     *
     * @return a new array of {@link #size()} values
     */
    public final float[] toArray() {
        float[] out = new float[size()];
        copyTo(out, 0);
        return out;
    }

    /**
     * Downloads {@link #size()} values into {@code dst} starting at {@code offset}.
     *
     * @param dst the array to fill
     * @param offset index in {@code dst} of the first value written
     */
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
