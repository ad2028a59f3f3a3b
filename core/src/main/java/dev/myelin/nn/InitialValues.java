package dev.myelin.nn;

import dev.myelin.spi.AllocationException;
import dev.myelin.spi.Shape;

/**
 * The host array of a weight's initial values. The SPI uploads a tensor whole, from one array, so each
 * weight's initial values stand once on the Java heap (beside whatever the backend keeps there) until
 * they are uploaded. A weight whose array the heap can never hold is refused before anything is
 * allocated; one that does not fit the heap as it is fails like a tensor that does not fit: with an
 * {@link AllocationException} naming the weight, its shape and the bytes.
 */
final class InitialValues {

    private InitialValues() {
    }

    /**
     * Refuses, before any allocation, a weight whose array of initial values exceeds the maximum heap.
     *
     * @throws AllocationException naming the weight when {@code 4 * rows * cols} bytes exceed {@code -Xmx}
     * @throws IllegalArgumentException when the shape itself is invalid
     */
    static void checkFits(String backend, String weight, int rows, int cols) {
        Shape shape = Shape.of(rows, cols);
        if (AllocationException.bytesOf(shape) > Runtime.getRuntime().maxMemory()) {
            throw tooLarge(backend, weight, shape, null);
        }
    }

    /** The values of {@code init} for a {@code [rows x cols]} weight (a {@code [1 x n]} vector has fan-in n). */
    static float[] generate(Initializer init, String backend, String weight, int rows, int cols, long seed) {
        try {
            return rows == 1 ? init.generate(cols, cols, cols, seed) : init.generate(rows, cols, rows * cols, seed);
        } catch (OutOfMemoryError e) {
            throw tooLarge(backend, weight, Shape.of(rows, cols), e);
        }
    }

    private static AllocationException tooLarge(String backend, String weight, Shape shape, OutOfMemoryError e) {
        return new AllocationException(backend, shape, "the initial values of weight '" + weight + "' are made on"
                + " the host as one array, which the Java heap cannot hold (max heap "
                + AllocationException.mib(Runtime.getRuntime().maxMemory())
                + "); raise it with -Xmx (MYELIN_JAVA_OPTS for the myelin command), or use smaller layers", e);
    }
}
