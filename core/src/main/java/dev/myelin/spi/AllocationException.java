package dev.myelin.spi;

import java.util.Locale;

/**
 * A tensor could not be allocated: the Java heap (CPU backend) or the device's memory (OpenCL,
 * CUDA) cannot hold it. The message names the backend, the shape, the bytes asked for and, where
 * known, the limit that was hit; nothing was allocated.
 */
public class AllocationException extends MyelinException {

    private static final long serialVersionUID = 1L;

    private final transient Shape shape;
    /** The bytes of float32 storage the tensor needed. */
    private final long bytes;

    /**
     * {@code backend} could not allocate a tensor of {@code shape}; {@code why} says which limit was hit.
     *
     * @param backend the backend's name as shown in messages ({@code cpu}, {@code cuda}, ...)
     * @param shape the shape of the float32 tensor that did not fit; not null
     * @param why which limit was hit and what to do about it, ending the message
     * @param cause the error the allocation raised, or null when the backend refused it before trying
     * @throws NullPointerException when {@code shape} is null
     */
    public AllocationException(String backend, Shape shape, String why, Throwable cause) {
        super(message(backend, shape, why), cause);
        this.shape = shape;
        this.bytes = bytesOf(shape);
    }

    /**
     * The Java heap could not hold a tensor of {@code shape} on {@code backend}.
     *
     * @param backend the backend's name as shown in messages ({@code cpu}, ...)
     * @param shape the shape of the float32 tensor that did not fit; not null
     * @param cause the heap's {@link OutOfMemoryError}; the message adds the maximum heap size and {@code -Xmx}
     * @throws NullPointerException when {@code shape} is null
     */
    public AllocationException(String backend, Shape shape, OutOfMemoryError cause) {
        this(backend, shape, "the Java heap cannot hold it (max heap " + mib(Runtime.getRuntime().maxMemory())
                + "; raise it with -Xmx, or use smaller layers or batches)", cause);
    }

    /**
     * The shape that did not fit.
     *
     * @return the tensor's shape; null after deserialization, since the shape is not serialized
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The bytes the tensor needed.
     *
     * @return the float32 storage the tensor asked for, in bytes ({@link #bytesOf(Shape)})
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Bytes of float32 storage for {@code shape}.
     *
     * @param shape the tensor's shape; not null
     * @return the element count times 4, in bytes
     */
    public static long bytesOf(Shape shape) {
        return (long) shape.size() * Float.BYTES;
    }

    /**
     * {@code bytes} in MiB or GiB for a message, with the exact count.
     *
     * @param bytes a size in bytes, &gt;= 0
     * @return the size in MiB, or GiB from 1 GiB up, to one decimal, then the exact count:
     *     {@code "1.5 MiB = 1572864 bytes"}
     */
    public static String mib(long bytes) {
        double m = bytes / (1024.0 * 1024.0);
        String size = m >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", m / 1024) : String.format(Locale.ROOT, "%.1f MiB", m);
        return size + " = " + bytes + " bytes";
    }

    private static String message(String backend, Shape shape, String why) {
        return "tensor: cannot allocate " + shape + " float32 (" + mib(bytesOf(shape)) + ") on backend '" + backend
                + "': " + why;
    }
}
