package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCacheTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        KernelCache.clearMemory();
    }

    @Test
    void keyNamesSourceArchitectureAndCompiler() {
        String k = KernelCache.key(KernelSource.ROWS, new TargetArch(90, true), "13.0");
        assertEquals(KernelSource.ROWS.sha256() + "-sm_90-nvrtc13.0.cubin", k);
        assertEquals(KernelSource.ROWS.sha256() + "-compute_90-nvrtc12.2.ptx",
                KernelCache.key(KernelSource.ROWS, new TargetArch(90, false), "12.2"));
        assertNotEquals(k, KernelCache.key(KernelSource.ROWS, new TargetArch(80, true), "13.0"));
        assertNotEquals(k, KernelCache.key(KernelSource.ROWS, new TargetArch(90, true), "13.1"));
        assertNotEquals(k, KernelCache.key(KernelSource.LOSSES, new TargetArch(90, true), "13.0"));
    }

    @Test
    void compilesOnceThenServesFromMemoryThenFromDisk() throws IOException {
        AtomicInteger compiles = new AtomicInteger();
        byte[] image = {1, 2, 3, 0};
        KernelCache cache = new KernelCache(Optional.of(dir.resolve("kernels")));
        assertArrayEquals(image, cache.get("k1", () -> {
            compiles.incrementAndGet();
            return image;
        }));
        assertArrayEquals(image, cache.get("k1", () -> {
            compiles.incrementAndGet();
            return new byte[0];
        }));
        assertEquals(1, compiles.get());
        assertArrayEquals(image, Files.readAllBytes(dir.resolve("kernels/k1")));
        try (var files = Files.list(dir.resolve("kernels"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
        KernelCache.clearMemory();
        assertArrayEquals(image, new KernelCache(Optional.of(dir.resolve("kernels"))).get("k1", () -> {
            compiles.incrementAndGet();
            return new byte[0];
        }));
        assertEquals(1, compiles.get(), "the disk copy was used");
    }

    @Test
    void withoutADirectoryOnlyMemoryIsUsed() throws IOException {
        AtomicInteger compiles = new AtomicInteger();
        KernelCache cache = new KernelCache(Optional.empty());
        cache.get("k2", () -> new byte[] {(byte) compiles.incrementAndGet()});
        cache.get("k2", () -> new byte[] {(byte) compiles.incrementAndGet()});
        assertEquals(1, compiles.get());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void anUnwritableDirectoryOnlyCostsACompile() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        KernelCache cache = new KernelCache(Optional.of(file));
        assertArrayEquals(new byte[] {7}, cache.get("k3", () -> new byte[] {7}));
        assertTrue(Files.isRegularFile(file));
    }
}
