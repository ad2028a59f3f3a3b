package dev.myelin.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a numeric column of fixed width into float rows: an ML {@code Vector} (dense or sparse), an
 * {@code array<float>} or an {@code array<double>}, or (width 1, for labels) a plain number. Doubles are
 * rounded to float, as Myelin computes in float32. A row of the wrong width, or a null, fails with the
 * column, the expected and the actual width.
 */
final class NumericColumn implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int index;
    private final int width;

    private NumericColumn(String name, int index, int width) {
        this.name = name;
        this.index = index;
        this.width = width;
    }

    /** The column {@code name} of {@code schema}, checked to be a Vector or a float/double array. */
    static NumericColumn of(StructType schema, String param, String name, int width) {
        check(schema, param, name);
        return new NumericColumn(name, schema.fieldIndex(name), width);
    }

    /** Fails unless {@code schema} has a column {@code name} of a supported type. */
    static void check(StructType schema, String param, String name) {
        if (!List.of(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("argument '" + param + "': no column '" + name + "' in the schema "
                    + schema.simpleString());
        }
        DataType t = schema.apply(name).dataType();
        boolean ok = t.equals(SQLDataTypes.VectorType())
                || t instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType)
                        || a.elementType().equals(DataTypes.DoubleType))
                || t instanceof NumericType;
        if (!ok) {
            throw new IllegalArgumentException("argument '" + param + "': column '" + name + "' must be a Vector,"
                    + " array<float>, array<double> or a number, got " + t.simpleString());
        }
    }

    /** The number of floats a row holds. */
    int width() {
        return width;
    }

    /** Copies the row's value into {@code out} at {@code offset} ({@code width} floats). */
    void read(Row row, float[] out, int offset) {
        Object v = row.get(index);
        if (v == null) {
            throw new IllegalArgumentException("column '" + name + "' holds null; every row needs " + width + " values");
        }
        switch (v) {
            case Vector vec -> {
                checkWidth(vec.size());
                for (int j = 0; j < width; j++) {
                    out[offset + j] = (float) vec.apply(j);
                }
            }
            case scala.collection.Seq<?> seq -> {
                checkWidth(seq.length());
                for (int j = 0; j < width; j++) {
                    out[offset + j] = ((Number) seq.apply(j)).floatValue();
                }
            }
            case Number number -> {
                checkWidth(1);
                out[offset] = number.floatValue();
            }
            case List<?> list -> {
                checkWidth(list.size());
                for (int j = 0; j < width; j++) {
                    out[offset + j] = ((Number) list.get(j)).floatValue();
                }
            }
            default -> throw new IllegalArgumentException("column '" + name + "' holds a " + v.getClass().getName()
                    + "; expected a Vector or an array");
        }
    }

    private void checkWidth(int actual) {
        if (actual != width) {
            throw new IllegalArgumentException("column '" + name + "' has a row of " + actual + " values; the model"
                    + " expects " + width);
        }
    }
}
