package dev.myelin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.spi.AllocationException;
import dev.myelin.spi.Backend;
import dev.myelin.spi.MyelinException;
import dev.myelin.spi.Shape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Tensors that cannot exist or cannot fit fail with a message naming the shape and the bytes. */
class AllocationErrorsTest {

    @Test
    void aTensorBeyondTheHeapIsAnAllocationExceptionNamingShapeAndBytes() {
        Shape huge = Shape.of(46_000, 46_000);
        long bytes = AllocationException.bytesOf(huge);
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < bytes, "this JVM's heap could hold " + bytes + " bytes");
        try (Backend b = new ReferenceBackend()) {
            AllocationException e = assertThrows(AllocationException.class, () -> b.tensor(46_000, 46_000));
            assertTrue(e.getMessage().contains("[46000 x 46000]"), e.getMessage());
            assertTrue(e.getMessage().contains(bytes + " bytes"), e.getMessage());
            assertTrue(e.getMessage().contains("Java heap"), e.getMessage());
            assertEquals(huge, e.shape());
            assertEquals(0, b.liveTensors(), "nothing counted as allocated");
            assertTrue(e instanceof MyelinException);
        }
    }

    @Test
    void aShapeBeyondIntRangeIsRejectedBeforeAnyAllocation() {
        try (Backend b = new ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.tensor(50_000, 50_000));
            assertTrue(e.getMessage().contains("[50000 x 50000] = 2500000000 elements"), e.getMessage());
        }
    }
}
