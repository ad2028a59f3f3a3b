package dev.myelin.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A row-major float32 matrix on the host: the currency of the data readers, the model layer's
 * {@code fit}/{@code predict} and the weight files. The array is shared, not copied; treat it as
 * owned by the matrix once constructed.
 */
public record FloatMatrix(int rows, int cols, float[] data) {

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

    /** A zero matrix. */
    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    /** Copies a rectangular {@code float[rows][cols]}. */
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

    public float get(int row, int col) {
        return data[index(row, col)];
    }

    public void set(int row, int col, float value) {
        data[index(row, col)] = value;
    }

    /** A copy of row {@code row}. */
    public float[] row(int row) {
        Objects.checkIndex(row, rows);
        return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
    }

    /** A new matrix holding the rows {@code indices[0], indices[1], ...} in that order. */
    public FloatMatrix rows(int[] indices) {
        float[] out = new float[Math.multiplyExact(indices.length, cols)];
        for (int i = 0; i < indices.length; i++) {
            Objects.checkIndex(indices[i], rows);
            System.arraycopy(data, indices[i] * cols, out, i * cols, cols);
        }
        return new FloatMatrix(indices.length, cols, out);
    }

    /** A new matrix holding rows {@code from} (inclusive) to {@code to} (exclusive). */
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
