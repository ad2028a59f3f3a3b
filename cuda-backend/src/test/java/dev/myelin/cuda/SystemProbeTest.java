package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.BackendUnavailableException;
import dev.myelin.Backends;
import dev.myelin.spi.Availability;
import dev.myelin.spi.BackendProvider;
import org.junit.jupiter.api.Test;

/** The real probe on the machine the tests run on, through the service loader as users reach it. */
class SystemProbeTest {

    private static boolean driverInstalled() {
        return new SystemLibraryLookup().find(CudaLibraries.DRIVER).isPresent();
    }

    @Test
    void serviceLoaderFindsTheCudaProvider() {
        BackendProvider p = Backends.providers().get("cuda");
        assertNotNull(p, "META-INF/services must register dev.myelin.cuda.CudaBackendProvider");
        assertEquals(CudaBackendProvider.class, p.getClass());
    }

    @Test
    void probeNeverThrowsAndNamesTheMissingDriverWhereThereIsNone() {
        Availability a = new CudaBackendProvider().probe();
        assertNotNull(a);
        assertEquals("cuda", a.backend());
        if (!driverInstalled()) {
            assertFalse(a.available());
            assertTrue(a.detail().startsWith("no NVIDIA driver: libcuda.so.1 not found"), a.detail());
        } else {
            // A machine with a driver: the verdict depends on its devices and libraries, but it is a verdict.
            assertFalse(a.detail().isEmpty());
        }
    }

    @Test
    void describeListsCudaWithItsReason() {
        String table = Backends.describe();
        assertTrue(table.contains("cuda"), table);
        if (!driverInstalled()) {
            assertTrue(table.lines().anyMatch(l -> l.contains("cuda") && l.contains("unavailable")
                    && l.contains("no NVIDIA driver: libcuda.so.1 not found")), table);
        }
    }

    @Test
    void openingCudaWithoutADriverIsAnErrorQuotingTheReason() {
        if (driverInstalled()) {
            return;  // nothing to check here: the device tests cover machines with a driver
        }
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda"));
        assertTrue(e.getMessage().contains("libcuda.so.1 not found"), e.getMessage());
    }
}
