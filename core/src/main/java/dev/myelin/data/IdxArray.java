package dev.myelin.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The content of an IDX file: its element type, its dimensions and its elements in file order
 * (row-major), kept as the raw big-endian bytes and decoded on access.
 */
public final class IdxArray {

    private final String source;
    private final IdxType type;
    private final int[] dimensions;
    private final ByteBuffer payload;
    private final int size;

    IdxArray(String source, IdxType type, int[] dimensions, byte[] payload) {
        this.source = Objects.requireNonNull(source, "source");
        this.type = type;
        this.dimensions = dimensions.clone();
        this.payload = ByteBuffer.wrap(payload); // big-endian, as IDX is
        this.size = payload.length / type.bytes();
    }

    /**
     * The file this array was read from.
     *
     * @return the source's name
     */
    public String source() {
        return source;
    }

    /**
     * The element type from the magic number.
     *
     * @return the type
     */
    public IdxType type() {
        return type;
    }

    /**
     * The dimensions, outermost first (a copy): {@code [n, rows, cols]} for MNIST images.
     *
     * @return the dimensions
     */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /**
     * Number of elements (the product of the dimensions).
     *
     * @return the element count
     */
    public int size() {
        return size;
    }

    /**
     * Element {@code index} (in file order) as an int; only for integer types (unsigned bytes give 0..255).
     *
     * @param index the element's position, from 0
     * @return its value
     */
    public int intAt(int index) {
        Objects.checkIndex(index, size);
        return switch (type) {
            case UNSIGNED_BYTE -> payload.get(index) & 0xff;
            case SIGNED_BYTE -> payload.get(index);
            case SHORT -> payload.getShort(index * 2);
            case INT -> payload.getInt(index * 4);
            case FLOAT, DOUBLE -> throw new IllegalStateException("IdxArray.intAt: " + source + " holds " + type
                    + " elements; use doubleAt");
        };
    }

    /**
     * Element {@code index} (in file order) as a double, whatever the type.
     *
     * @param index the element's position, from 0
     * @return its value
     */
    public double doubleAt(int index) {
        Objects.checkIndex(index, size);
        return switch (type) {
            case FLOAT -> payload.getFloat(index * 4);
            case DOUBLE -> payload.getDouble(index * 8);
            default -> intAt(index);
        };
    }

    /**
     * The elements as a {@code [dimensions[0] x product of the rest]} matrix of their raw values
     * (a 1-D array gives {@code [n x 1]}).
     *
     * @return a new matrix
     */
    public FloatMatrix toMatrix() {
        return toMatrix(1.0);
    }

    /**
     * Like {@link #toMatrix()} with every value multiplied by {@code factor} (e.g. 1/255 for pixels).
     *
     * @param factor the multiplier
     * @return a new matrix
     */
    public FloatMatrix toMatrix(double factor) {
        int rows = dimensions[0];
        int cols = rows == 0 ? product(1) : size / rows;
        float[] data = new float[size];
        if (type == IdxType.UNSIGNED_BYTE) {
            // The common case (images) without the per-element switch.
            float[] table = new float[256];
            for (int v = 0; v < 256; v++) {
                table[v] = (float) (v * factor);
            }
            for (int i = 0; i < size; i++) {
                data[i] = table[payload.get(i) & 0xff];
            }
        } else {
            for (int i = 0; i < size; i++) {
                data[i] = (float) (doubleAt(i) * factor);
            }
        }
        return new FloatMatrix(rows, cols, data);
    }

    /**
     * The elements as ints (integer types only).
     *
     * @return a new array
     */
    public int[] toIntArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = intAt(i);
        }
        return out;
    }

    private int product(int fromDimension) {
        int p = 1;
        for (int i = fromDimension; i < dimensions.length; i++) {
            p *= dimensions[i];
        }
        return p;
    }

    @Override
    public String toString() {
        return "IdxArray[" + type + " " + Arrays.toString(dimensions) + " from " + source + "]";
    }
}
