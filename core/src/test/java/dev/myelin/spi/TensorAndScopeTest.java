package dev.myelin.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tensor and Scope, the parts of core every backend shares, on the reference backend. */
class TensorAndScopeTest {

    private final Backend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void tensorCopiesInAndOutAndDescribesItself() {
        Tensor t = backend.tensor(2, 3);
        assertSame(t, t.copyFrom(new float[] {1, 2, 3, 4, 5, 6}), "copyFrom returns the tensor, for chaining");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toArray());
        assertEquals(Shape.of(2, 3), t.shape());
        assertEquals(2, t.rows());
        assertEquals(3, t.cols());
        assertEquals(6, t.size());
        assertSame(backend, t.backend());
        assertEquals("reference tensor [2 x 3]", t.toString());
        t.close();
        assertEquals("reference tensor [2 x 3] (closed)", t.toString());
    }

    @Test
    void closeIsIdempotentAndCountedOnce() {
        int before = backend.liveTensors();
        Tensor a = backend.tensor(4, 4);
        Tensor b = backend.tensor(1, 1);
        assertEquals(before + 2, backend.liveTensors());
        a.close();
        a.close();
        assertTrue(a.isClosed());
        assertFalse(b.isClosed());
        assertEquals(before + 1, backend.liveTensors());
        b.close();
        assertEquals(before, backend.liveTensors());
        IllegalStateException e = assertThrows(IllegalStateException.class, a::toArray);
        assertTrue(e.getMessage().contains("[4 x 4]") && e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void tensorWithValuesThatDoNotFitIsNotLeaked() {
        int before = backend.liveTensors();
        assertThrows(IllegalArgumentException.class, () -> backend.tensor(2, 2, new float[3]));
        assertThrows(NullPointerException.class, () -> backend.tensor(2, 2, null));
        assertEquals(before, backend.liveTensors(), "a tensor whose upload failed is closed again");
    }

    @Test
    void scopeClosesInReverseOrderAndOnlyOnce() {
        Tensor a;
        Tensor b;
        Scope s = backend.scope();
        a = backend.tensor(1, 2);
        b = backend.tensor(2, 1);
        assertEquals(2, s.size());
        s.close();
        assertTrue(a.isClosed() && b.isClosed());
        assertEquals(0, s.size());
        s.close();
        assertEquals(0, backend.liveTensors());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.track(backend.tensor(1, 1)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void keptTensorsOutliveNestedScopes() {
        Tensor kept;
        try (Scope outer = backend.scope()) {
            try (Scope inner = backend.scope()) {
                kept = inner.keep(backend.tensor(3, 3));
                backend.tensor(1, 1);
                assertEquals(1, inner.size());
            }
            assertEquals(0, outer.size(), "a kept tensor does not move to the outer scope");
        }
        assertFalse(kept.isClosed());
        assertEquals(1, backend.liveTensors());
        assertSame(kept, new Scope(() -> { }).keep(kept), "keeping a tensor the scope does not hold is harmless");
        kept.close();
    }

    @Test
    void aTensorClosedEarlyIsNotClosedTwiceByItsScope() {
        try (Scope s = backend.scope()) {
            Tensor t = backend.tensor(2, 2);
            t.close();
            assertEquals(0, backend.liveTensors());
            assertEquals(1, s.size());
        }
        assertEquals(0, backend.liveTensors(), "the scope's close of an already closed tensor does not count again");
    }

    @Test
    void closedBackendRefusesWork() {
        Tensor t = backend.tensor(1, 1);
        backend.close();
        backend.close();
        assertTrue(backend.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.tensor(1, 1));
        assertTrue(e.getMessage().contains("reference") && e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, t::toArray);
        assertThrows(IllegalStateException.class, backend::scope);
    }
}
