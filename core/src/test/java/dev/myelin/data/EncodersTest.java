package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class EncodersTest {

    @Test
    void labelEncoderSortsAndMapsBothWays() {
        LabelEncoder e = new LabelEncoder();
        int[] codes = e.fitTransform(List.of("pear", "apple", "pear", "fig"));
        assertEquals(List.of("apple", "fig", "pear"), e.classes());
        assertArrayEquals(new int[] {2, 0, 2, 1}, codes);
        assertEquals(List.of("pear", "apple"), e.inverseTransform(new int[] {2, 0}));
    }

    @Test
    void numericLabelsSortAsNumbers() {
        LabelEncoder e = new LabelEncoder().fit(List.of("10", "9", "2", "-1", "2.5"));
        assertEquals(List.of("-1", "2", "2.5", "9", "10"), e.classes());
    }

    @Test
    void labelEncoderRefusesUseBeforeFitAndUnknownLabels() {
        LabelEncoder e = new LabelEncoder();
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> e.encode("a"));
        assertTrue(s.getMessage().contains("fit"), s.getMessage());
        e.fit(List.of("a", "b"));
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> e.encode("c"));
        assertTrue(u.getMessage().contains("\"c\"") && u.getMessage().contains("[a, b]"), u.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.decode(2));
        assertThrows(IllegalArgumentException.class, () -> LabelEncoder.of(List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> new LabelEncoder().fit(List.of()));
    }

    @Test
    void oneHotRoundTrips() {
        OneHotEncoder e = OneHotEncoder.fit(new int[] {0, 2, 1});
        assertEquals(3, e.classCount());
        FloatMatrix m = e.transform(new int[] {2, 0, 1, 2});
        assertEquals(FloatMatrix.of(new float[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}), m);
        assertArrayEquals(new int[] {2, 0, 1, 2}, e.inverseTransform(m));
        assertArrayEquals(new int[] {1, 0}, e.inverseTransform(FloatMatrix.of(new float[][] {{0.1f, 0.7f, 0.2f}, {0.4f, 0.4f, 0.2f}})),
                "arg-max, first on ties");
    }

    @Test
    void oneHotChecksArguments() {
        OneHotEncoder e = new OneHotEncoder(3);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.transform(new int[] {0, 3}));
        assertTrue(x.getMessage().contains("0..2") && x.getMessage().contains("got 3 at 1"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> e.inverseTransform(FloatMatrix.zeros(2, 4)));
        assertTrue(x.getMessage().contains("[2 x 4]"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OneHotEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> OneHotEncoder.fit(new int[] {-1}));
    }
}
