package dev.myelin.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Scope;
import dev.myelin.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device buffers are released by close and by the scope: no leak over many allocate/free cycles. */
class OpenClMemoryTest {

    private static OpenClBackend backend;

    @BeforeAll
    static void open() {
        backend = OpenClTestDevice.open(null);
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
        }
    }

    /** Resident memory of this process in KiB, from /proc (Linux); -1 elsewhere. */
    private static long rssKiB() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void tenThousandAllocateFreeCyclesDoNotLeak() throws Exception {
        // 64 KiB per tensor, written on the device so the driver really backs it: leaking would hold 625 MiB.
        int cycles = 10_000;
        int liveBefore = backend.liveTensors();
        warm(16);
        long rssBefore = rssKiB();
        for (int i = 0; i < cycles; i++) {
            if (i % 100 == 0) {
                // A released buffer lives on until the commands using it are done: bound what is in flight.
                backend.synchronize();
            }
            if (i % 2 == 0) {
                Tensor t = backend.tensor(128, 128);
                backend.fill(t, i);
                t.close();
            } else {
                try (Scope s = backend.scope()) {
                    backend.fill(backend.tensor(64, 256), i);
                }
            }
        }
        backend.synchronize();
        assertEquals(liveBefore, backend.liveTensors());
        assertEquals(0, backend.deviceBytes());
        long rssAfter = rssKiB();
        if (rssBefore > 0) {
            long grownMiB = (rssAfter - rssBefore) / 1024;
            assertTrue(grownMiB < 200, "resident memory grew by " + grownMiB + " MiB over " + cycles + " cycles");
        }
    }

    @Test
    void aLoopThatNeverReadsBackStaysFlatInMemory() throws Exception {
        // No synchronize and no host read: the backend alone must bound what waits on the queue. Without
        // that bound PoCL held ~9 KiB per iteration of this loop (3.6 GB after 400,000). The first
        // iterations let the Java heap and the driver's pools reach their working size; after that the
        // resident memory must stay flat while the loop runs on.
        Tensor y = backend.tensor(64, 64);
        backend.fill(y, 0f);
        for (int i = 0; i < 40_000; i++) {
            step(y, i);
        }
        long rssBefore = rssKiB();
        int iterations = 100_000;
        for (int i = 0; i < iterations; i++) {
            step(y, i);
        }
        long rssAfter = rssKiB();
        float[] result = y.toArray();
        y.close();
        assertTrue(Float.isFinite(result[0]), "the loop computed something: " + result[0]);
        if (rssBefore > 0) {
            long grownMiB = (rssAfter - rssBefore) / 1024;
            System.out.println("no-read loop: resident " + rssBefore / 1024 + " MiB, then " + rssAfter / 1024
                    + " MiB after " + iterations + " more iterations");
            assertTrue(grownMiB < 48, "resident memory grew by " + grownMiB + " MiB over " + iterations
                    + " iterations without a host read");
        }
    }

    /** One iteration: a new tensor, a fill, an axpby into the long-lived {@code y}, a close. */
    private static void step(Tensor y, int i) {
        Tensor t = backend.tensor(64, 64);
        backend.fill(t, i % 3);
        backend.axpby(1e-3f, t, 0.5f, y);
        t.close();
    }

    private static void warm(int n) {
        for (int i = 0; i < n; i++) {
            try (Tensor t = backend.tensor(128, 128)) {
                backend.fill(t, 1f);
                t.toArray();
            }
        }
    }

    @Test
    void closingTheBackendAfterItsTensorsAndTwiceIsHarmless() {
        OpenClBackend b = OpenClTestDevice.open(null);
        Tensor t = b.tensor(3, 4, new float[12]);
        b.close();
        t.close();
        b.close();
        assertTrue(t.isClosed());
    }
}
