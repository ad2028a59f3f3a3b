package dev.myelin.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A row-major float32 matrix on the host: the currency of the data readers, the model layer's
 * {@code fit}/{@code predict} and the weight files. The array is shared, not copied; treat it as
 * owned by the matrix once constructed.
 *
 * @param rows number of rows
 * @param cols number of columns
 * @param data the {@code rows * cols} values, row-major
 */
public record FloatMatrix(int rows, int cols, float[] data) {

    /** Checks the dimensions against the array's length. */
    public FloatMatrix {
        Objects.requireNonNull(data, "data");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("FloatMatrix: rows and cols must be >= 0, got [" + rows + " x " + cols + "]");
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("FloatMatrix: data must hold rows*cols = " + ((long) rows * cols)
                    + " values for [" + rows + " x " + cols + "], got " + data.length);
        }
    }

    /**
     * A zero matrix.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @return a new matrix
     */
    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    /**
     * Copies a rectangular {@code float[rows][cols]}.
     *
     * @param values the rows, all of one length
     * @return a new matrix
     */
    public static FloatMatrix of(float[][] values) {
        Objects.requireNonNull(values, "values");
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        float[] data = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            if (values[i].length != cols) {
                throw new IllegalArgumentException("FloatMatrix.of: row " + i + " must have " + cols
                        + " values (as row 0), got " + values[i].length);
            }
            System.arraycopy(values[i], 0, data, i * cols, cols);
        }
        return new FloatMatrix(rows, cols, data);
    }

    /**
     * The element at {@code row}, {@code col}.
     *
     * @param row the row, from 0
     * @param col the column, from 0
     * @return the value
     */
    public float get(int row, int col) {
        return data[index(row, col)];
    }

    /**
     * Sets the element at {@code row}, {@code col}.
     *
     * @param row the row, from 0
     * @param col the column, from 0
     * @param value the new value
     */
    public void set(int row, int col, float value) {
        data[index(row, col)] = value;
    }

    /**
     * A copy of row {@code row}.
     *
     * @param row the row, from 0
     * @return a new array of {@link #cols()} values
     */
    public float[] row(int row) {
        Objects.checkIndex(row, rows);
        return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
    }

    /**
     * A new matrix holding the rows {@code indices[0], indices[1], ...} in that order.
     *
     * @param indices row indices, each in {@code 0..rows-1}
     * @return a new matrix
     */
    public FloatMatrix rows(int[] indices) {
        float[] out = new float[Math.multiplyExact(indices.length, cols)];
        for (int i = 0; i < indices.length; i++) {
            Objects.checkIndex(indices[i], rows);
            System.arraycopy(data, indices[i] * cols, out, i * cols, cols);
        }
        return new FloatMatrix(indices.length, cols, out);
    }

    /**
     * A new matrix holding rows {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from the first row, inclusive
     * @param to the end row, exclusive
     * @return a new matrix
     */
    public FloatMatrix rowRange(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        return new FloatMatrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
    }

    private int index(int row, int col) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return row * cols + col;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + " x " + cols + "]";
    }
}
