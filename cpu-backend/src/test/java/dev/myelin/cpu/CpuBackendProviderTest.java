package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.BackendUnavailableException;
import dev.myelin.Backends;
import dev.myelin.spi.Availability;
import dev.myelin.spi.Backend;
import org.junit.jupiter.api.Test;

/** Runs in both Surefire executions: with the Vector API module and without it (the scalar path). */
class CpuBackendProviderTest {

    @Test
    void probeReportsTheDeviceAndThePath() {
        Availability a = new CpuBackendProvider().probe();
        assertTrue(a.available(), a.toString());
        assertEquals("cpu", a.backend());
        assertEquals(Availability.RANK_JAVA_CPU, a.rank());
        assertTrue(a.device().contains("core"), a.device());
        if (VectorSupport.available()) {
            assertTrue(a.detail().startsWith("Vector API: "), a.detail());
            assertTrue(a.detail().contains("floats/vector"), a.detail());
            assertTrue(a.detail().contains("thread"), a.detail());
        } else {
            assertEquals("scalar path: add --add-modules jdk.incubator.vector", a.detail());
        }
    }

    @Test
    void scalarExecutionReallyRunsWithoutTheVectorApi() {
        if (Boolean.getBoolean("myelin.test.expectScalarPath")) {
            assertFalse(VectorSupport.available(), "the scalar-path execution must not add jdk.incubator.vector");
            try (CpuBackend b = new CpuBackend(1)) {
                assertFalse(b.vectorized());
            }
        } else {
            assertTrue(VectorSupport.available(), "the default execution must add jdk.incubator.vector");
        }
    }

    @Test
    void serviceLoaderFindsTheBackend() {
        assertTrue(Backends.providers().containsKey("cpu"));
        try (Backend b = Backends.open("cpu")) {
            assertEquals("cpu", b.name());
            assertEquals(VectorSupport.available(), ((CpuBackend) b).vectorized());
        }
    }

    @Test
    void threadsComeFromTheSystemProperty() {
        String old = System.getProperty(CpuInfo.THREADS_PROPERTY);
        try {
            System.setProperty(CpuInfo.THREADS_PROPERTY, "1");
            try (CpuBackend b = new CpuBackend()) {
                assertEquals(1, b.threads());
                assertTrue(b.device().endsWith("1 thread"), b.device());
            }
            System.setProperty(CpuInfo.THREADS_PROPERTY, "zero");
            Availability a = new CpuBackendProvider().probe();
            assertFalse(a.available());
            assertTrue(a.detail().contains("myelin.threads") && a.detail().contains("'zero'"), a.detail());
            assertThrows(BackendUnavailableException.class, () -> new CpuBackendProvider().create());
        } finally {
            if (old == null) {
                System.clearProperty(CpuInfo.THREADS_PROPERTY);
            } else {
                System.setProperty(CpuInfo.THREADS_PROPERTY, old);
            }
        }
    }

    @Test
    void closingShutsThePoolDownAndRejectsUse() {
        CpuBackend b = new CpuBackend(2);
        b.close();
        assertThrows(IllegalStateException.class, () -> b.tensor(1, 1));
    }
}
