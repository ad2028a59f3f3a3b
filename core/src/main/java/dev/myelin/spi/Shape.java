package dev.myelin.spi;

/**
 * The shape of a {@link Tensor}: a row-major matrix of {@code rows x cols} float32 values.
 * A vector is {@code 1 x n}; a scalar is {@code 1 x 1}.
 *
 * @param rows number of rows, at least 1
 * @param cols number of columns, at least 1
 */
public record Shape(int rows, int cols) {

    /** Largest element count a tensor may hold (Java arrays index with {@code int}). */
    public static final long MAX_SIZE = Integer.MAX_VALUE - 8;

    /** Checks that both dimensions are at least 1 and that the element count fits in an {@code int}. */
    public Shape {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "shape: rows and cols must be >= 1, got [" + rows + " x " + cols + "]");
        }
        if ((long) rows * cols > MAX_SIZE) {
            throw new IllegalArgumentException("shape: rows*cols must be <= " + MAX_SIZE + ", got [" + rows + " x "
                    + cols + "] = " + ((long) rows * cols) + " elements");
        }
    }

    /**
     * The shape {@code rows x cols}.
     *
     * @param rows number of rows, at least 1
     * @param cols number of columns, at least 1
     * @return the shape
     */
    public static Shape of(int rows, int cols) {
        return new Shape(rows, cols);
    }

    /**
     * Number of elements, {@code rows * cols}.
     *
     * @return the number of elements
     */
    public int size() {
        return rows * cols;
    }

    @Override
    public String toString() {
        return "[" + rows + " x " + cols + "]";
    }
}
