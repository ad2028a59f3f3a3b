package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.spi.AllocationException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code cpu.tensor(40000, 40000)} on a heap that cannot hold its 6.4 GB: a clear error, not an OutOfMemoryError. */
class CpuAllocationTest {

    @Test
    void aTensorLargerThanTheHeapIsAClearAllocationError() {
        long bytes = 40_000L * 40_000L * Float.BYTES;
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < bytes, "this JVM's heap could hold " + bytes + " bytes");
        try (CpuBackend cpu = new CpuBackend(1)) {
            AllocationException e = assertThrows(AllocationException.class, () -> cpu.tensor(40_000, 40_000));
            assertTrue(e.getMessage().contains("[40000 x 40000]") && e.getMessage().contains("6400000000 bytes")
                    && e.getMessage().contains("backend 'cpu'"), e.getMessage());
            // The backend is still usable afterwards.
            assertTrue(cpu.tensor(2, 2, new float[] {1, 2, 3, 4}).toArray()[3] == 4f);
        }
    }
}
