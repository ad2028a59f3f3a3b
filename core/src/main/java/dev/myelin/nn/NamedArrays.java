package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named float matrices held as plain arrays, in order: the storage of {@link Gradients} and
 * {@link OptimizerState}. Java-serializable, so a distributed trainer can ship them as they are.
 */
final class NamedArrays implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    final String[] names;
    final int[] rows;
    final int[] cols;
    final float[][] values;

    private NamedArrays(String[] names, int[] rows, int[] cols, float[][] values) {
        this.names = names;
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }

    /** Copies {@code matrices}, checking for nulls and repeated names ({@code what} names the caller). */
    static NamedArrays copyOf(Map<String, FloatMatrix> matrices, String what) {
        Objects.requireNonNull(matrices, what + ": argument 'tensors' is null");
        int n = matrices.size();
        String[] names = new String[n];
        int[] rows = new int[n];
        int[] cols = new int[n];
        float[][] values = new float[n][];
        int i = 0;
        for (Map.Entry<String, FloatMatrix> e : matrices.entrySet()) {
            names[i] = Objects.requireNonNull(e.getKey(), what + ": a name is null");
            FloatMatrix m = Objects.requireNonNull(e.getValue(), what + ": the tensor '" + e.getKey() + "' is null");
            rows[i] = m.rows();
            cols[i] = m.cols();
            values[i] = m.data().clone();
            i++;
        }
        return new NamedArrays(names, rows, cols, values);
    }

    /** Arrays shaped like these, with {@code f(i, j)} as element {@code j} of matrix {@code i}. */
    NamedArrays map(ElementFunction f) {
        float[][] out = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = new float[values[i].length];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = f.apply(i, j);
            }
        }
        return new NamedArrays(names, rows, cols, out);
    }

    /** Computes one element of a {@link #map}ped copy. */
    interface ElementFunction {
        float apply(int matrix, int element);
    }

    int size() {
        return names.length;
    }

    int index(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    FloatMatrix matrix(int i) {
        return new FloatMatrix(rows[i], cols[i], values[i].clone());
    }

    List<String> nameList() {
        return List.of(names);
    }

    LinkedHashMap<String, FloatMatrix> toMap() {
        LinkedHashMap<String, FloatMatrix> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], matrix(i));
        }
        return m;
    }

    /** Throws unless {@code other} has the same names, in the same order, with the same shapes. */
    void checkSameLayout(NamedArrays other, String op) {
        if (!Arrays.equals(names, other.names) || !Arrays.equals(rows, other.rows)
                || !Arrays.equals(cols, other.cols)) {
            throw new IllegalArgumentException(op + ": the tensors differ: " + layout() + " vs " + other.layout());
        }
    }

    /** Throws unless the names are exactly {@code expected} (any order), naming what is missing or extra. */
    void checkNames(List<String> expected, String op, String what) {
        if (!new HashSet<>(expected).equals(new HashSet<>(List.of(names))) || expected.size() != names.length) {
            throw new IllegalArgumentException(op + ": argument '" + what + "' must hold exactly " + expected
                    + ", got " + List.of(names));
        }
    }

    String layout() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append(" [").append(rows[i]).append(" x ")
                    .append(cols[i]).append(']');
        }
        return sb.append(']').toString();
    }
}
