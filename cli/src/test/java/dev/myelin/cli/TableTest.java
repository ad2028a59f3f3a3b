package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    private static Table sample() {
        return new Table("backend", ">s/epoch").add("cpu", "1.25").add("opencl|x", "10.50");
    }

    @Test
    void textAlignsColumnsAndRightAlignsNumbers() {
        assertEquals("""
                backend   s/epoch
                --------  -------
                cpu          1.25
                opencl|x    10.50
                """, sample().toText());
    }

    @Test
    void markdownEscapesPipesAndMarksAlignment() {
        assertEquals("""
                | backend | s/epoch |
                | --- | ---: |
                | cpu | 1.25 |
                | opencl\\|x | 10.50 |
                """, sample().toMarkdown());
    }

    @Test
    void rowsMustMatchTheHeader() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").add("1"));
        assertEquals("Table.add: expected 2 cells [a, b], got 1 [1]", e.getMessage());
    }
}
