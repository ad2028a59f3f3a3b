package dev.myelin;

/**
 * The shape of a {@link Tensor}: a row-major matrix of {@code rows x cols} float32 values.
 * A vector is {@code 1 x n}; a scalar is {@code 1 x 1}.
 */
public record Shape(int rows, int cols) {

    /** Largest element count a tensor may hold (Java arrays index with {@code int}). */
    public static final long MAX_SIZE = Integer.MAX_VALUE - 8;

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

    public static Shape of(int rows, int cols) {
        return new Shape(rows, cols);
    }

    /** Number of elements, {@code rows * cols}. */
    public int size() {
        return rows * cols;
    }

    @Override
    public String toString() {
        return "[" + rows + " x " + cols + "]";
    }
}
