package dev.myelin.spi;


/** Which elements a reduction combines, and so the shape of its output for an input {@code [r x c]}. */
public enum Axis {
    /** One value per row: output {@code [r x 1]}. */
    PER_ROW,
    /** One value per column (numpy {@code axis=0}): output {@code [1 x c]}. */
    PER_COLUMN,
    /** One value for the whole tensor: output {@code [1 x 1]}. */
    ALL;

    /**
     * Shape of the reduction's output for an input of shape {@code in}.
     *
     * @param in the input's shape
     * @return the output's shape
     */
    public Shape outputShape(Shape in) {
        return Shape.of(outputRows(in.rows()), outputCols(in.cols()));
    }

    /**
     * Rows of the result for an input of {@code rows} rows.
     *
     * @param rows the input's rows
     * @return the output's rows
     */
    public int outputRows(int rows) {
        return this == PER_ROW ? rows : 1;
    }

    /**
     * Columns of the result for an input of {@code cols} columns.
     *
     * @param cols the input's columns
     * @return the output's columns
     */
    public int outputCols(int cols) {
        return this == PER_COLUMN ? cols : 1;
    }
}
