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
    private final long bytes;

    /** {@code backend} could not allocate a tensor of {@code shape}; {@code why} says which limit was hit. */
    public AllocationException(String backend, Shape shape, String why, Throwable cause) {
        super(message(backend, shape, why), cause);
        this.shape = shape;
        this.bytes = bytesOf(shape);
    }

    /** The Java heap could not hold a tensor of {@code shape} on {@code backend}. */
    public AllocationException(String backend, Shape shape, OutOfMemoryError cause) {
        this(backend, shape, "the Java heap cannot hold it (max heap " + mib(Runtime.getRuntime().maxMemory())
                + "; raise it with -Xmx, or use smaller layers or batches)", cause);
    }

    /** The shape that did not fit. */
    public Shape shape() {
        return shape;
    }

    /** The bytes the tensor needed. */
    public long bytes() {
        return bytes;
    }

    /** Bytes of float32 storage for {@code shape}. */
    public static long bytesOf(Shape shape) {
        return (long) shape.size() * Float.BYTES;
    }

    /** {@code bytes} in MiB or GiB for a message, with the exact count. */
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
