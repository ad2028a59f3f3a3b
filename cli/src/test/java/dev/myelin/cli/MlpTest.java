package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.Backends;
import dev.myelin.nn.Dense;
import dev.myelin.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpTest {

    @Test
    void layoutListsEveryWidth() {
        assertEquals("784-64-32-10", new Mlp(784, List.of(64, 32), "relu", 10).layout());
        assertEquals("4-3", new Mlp(4, List.of(), "relu", 3).layout());
    }

    @Test
    void buildsHiddenLayersThenSoftmax() {
        try (Sequential model = new Mlp(4, List.of(8, 6), "tanh", 3).build(Backends.get("cpu"), 1)) {
            assertEquals(3, model.layers().size());
            Dense out = (Dense) model.layers().get(2);
            assertEquals(3, out.units());
            assertEquals("softmax", out.activation().name());
            assertEquals("tanh", ((Dense) model.layers().get(0)).activation().name());
            assertEquals(4 * 8 + 8 + 8 * 6 + 6 + 6 * 3 + 3, model.build(4).countParams());
        }
    }

    @Test
    void rejectsEmptyLayersAndTooFewClasses() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Mlp(4, List.of(8, 0), "relu", 3));
        assertEquals("--layers: every hidden layer needs >= 1 unit, got [8, 0]", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new Mlp(4, List.of(8), "relu", 1));
        assertEquals("Mlp: argument 'classes' must be >= 2, got 1", e2.getMessage());
    }
}
