package dev.myelin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.spi.Shape;
import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void holdsRowsColsAndSize() {
        Shape s = Shape.of(3, 5);
        assertEquals(3, s.rows());
        assertEquals(5, s.cols());
        assertEquals(15, s.size());
        assertEquals("[3 x 5]", s.toString());
        assertEquals(new Shape(3, 5), s);
        assertNotEquals(Shape.of(5, 3), s);
    }

    @Test
    void rejectsEmptyAndNegativeDimensionsNamingThem() {
        for (int[] rc : new int[][] {{0, 4}, {4, 0}, {-1, 4}, {4, -7}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(rc[0], rc[1]));
            assertTrue(e.getMessage().contains("[" + rc[0] + " x " + rc[1] + "]"), e.getMessage());
        }
    }

    @Test
    void rejectsMoreElementsThanAnArrayHolds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(65536, 65536));
        assertTrue(e.getMessage().contains("[65536 x 65536]") && e.getMessage().contains("4294967296"), e.getMessage());
        assertEquals(Shape.MAX_SIZE, Shape.of(1, (int) Shape.MAX_SIZE).size());
    }
}
