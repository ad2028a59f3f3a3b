package dev.myelin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import org.junit.jupiter.api.Test;

class FloatMatrixTest {

    private final FloatMatrix m = FloatMatrix.of(new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});

    @Test
    void isRowMajorAndSharesItsArray() {
        assertEquals(4, m.rows());
        assertEquals(3, m.cols());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, m.data());
        assertEquals(6f, m.get(1, 2));
        float[] data = new float[6];
        FloatMatrix shared = new FloatMatrix(2, 3, data);
        shared.set(1, 0, 42f);
        assertSame(data, shared.data());
        assertEquals(42f, data[3]);
        assertEquals("FloatMatrix[4 x 3]", m.toString());
    }

    @Test
    void selectsRowsAndRanges() {
        assertArrayEquals(new float[] {4, 5, 6}, m.row(1));
        FloatMatrix picked = m.rows(new int[] {3, 0, 3});
        assertEquals(FloatMatrix.of(new float[][] {{10, 11, 12}, {1, 2, 3}, {10, 11, 12}}), picked);
        assertEquals(FloatMatrix.of(new float[][] {{4, 5, 6}, {7, 8, 9}}), m.rowRange(1, 3));
        assertEquals(0, m.rowRange(2, 2).rows());
        float[] row = m.row(0);
        row[0] = -1;
        assertEquals(1f, m.get(0, 0), "row() is a copy");
    }

    @Test
    void equalityIsByValue() {
        FloatMatrix copy = FloatMatrix.of(new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
        assertEquals(m, copy);
        assertEquals(m.hashCode(), copy.hashCode());
        assertNotEquals(m, new FloatMatrix(3, 4, m.data().clone()), "same values, other shape");
        assertEquals(FloatMatrix.zeros(2, 2), new FloatMatrix(2, 2, new float[4]));
    }

    @Test
    void rejectsBadShapesAndIndicesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FloatMatrix(2, 3, new float[5]));
        assertTrue(e.getMessage().contains("[2 x 3]") && e.getMessage().contains("5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FloatMatrix(-1, 3, new float[0]));
        assertTrue(e.getMessage().contains("[-1 x 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FloatMatrix.of(new float[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new FloatMatrix(1, 1, null));
        assertThrows(IndexOutOfBoundsException.class, () -> m.get(4, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.get(0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> m.rows(new int[] {0, 4}));
        assertThrows(IndexOutOfBoundsException.class, () -> m.rowRange(3, 5));
    }
}
