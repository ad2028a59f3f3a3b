package dev.myelin.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import org.junit.jupiter.api.Test;

/** What the conformance suite does not cover: selection by name, build errors, kernel reuse. */
class OpenClBackendTest {

    @Test
    void openByNameRunsAndSynchronizes() {
        OpenClTestDevice.require();
        try (Backend b = Backends.open("opencl")) {
            assertEquals("opencl", b.name());
            assertTrue(b.device().contains("compute units") && b.device().contains("SGEMM"), b.device());
            Tensor a = b.tensor(2, 3, new float[] {1, 2, 3, 4, 5, 6});
            Tensor c = b.tensor(2, 2);
            b.gemm(false, true, 1f, a, a, 0f, c);
            b.synchronize();
            assertArrayEquals(new float[] {14, 32, 32, 77}, c.toArray());
        }
    }

    @Test
    void failedBuildCarriesTheCompilerLog() {
        try (OpenClBackend b = OpenClTestDevice.open(null)) {
            OpenClException e = assertThrows(OpenClException.class,
                    () -> b.launch("does_not_compile.cl", "", "broken"));
            assertTrue(e.getMessage().contains("does_not_compile.cl") && e.getMessage().contains("undeclared_identifier"),
                    e.getMessage());
        }
    }

    @Test
    void kernelsAreBuiltOnceAndReused() {
        try (OpenClBackend b = OpenClTestDevice.open(null)) {
            Tensor t = b.tensor(4, 4);
            b.fill(t, 1f);
            ProgramCache cache = b.programs();
            var first = cache.kernel("/dev/myelin/opencl/elementwise.cl", "", "fill");
            b.fill(t, 2f);
            assertSame(first, cache.kernel("/dev/myelin/opencl/elementwise.cl", "", "fill"));
            assertEquals(1, cache.programCount());
            assertEquals(2f, t.toArray()[15]);
        }
    }
}
