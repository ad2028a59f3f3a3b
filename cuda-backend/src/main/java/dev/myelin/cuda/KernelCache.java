package dev.myelin.cuda;

import dev.myelin.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Compiled kernel images, kept in memory for the life of the JVM (every backend instance on the
 * same kind of device reuses them) and, when a directory is configured with
 * {@code myelin.cuda.kernelCache}, on disk across runs. The key is the source's SHA-256, the
 * target architecture and the NVRTC version, so a changed kernel, another GPU generation or
 * another compiler never picks up a stale image. Disk files are written to a temporary name and
 * renamed, so a crash leaves no half file; an unreadable or unwritable cache only costs a compile.
 */
final class KernelCache {

    public static final String PROPERTY = "myelin.cuda.kernelCache";

    private static final Map<String, byte[]> MEMORY = new ConcurrentHashMap<>();

    private final Optional<Path> directory;

    KernelCache(Optional<Path> directory) {
        this.directory = directory;
    }

    /** The cache the system property names, or memory only. */
    static KernelCache fromSystemProperty() {
        String dir = System.getProperty(PROPERTY, "").trim();
        return new KernelCache(dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir)));
    }

    /** e.g. {@code 3f2a...c1-sm_90-nvrtc13.0.cubin}. */
    static String key(KernelSource source, TargetArch target, String nvrtcVersion) {
        return source.sha256() + "-" + (target.cubin() ? "sm_" : "compute_") + target.arch() + "-nvrtc"
                + nvrtcVersion + (target.cubin() ? ".cubin" : ".ptx");
    }

    /** The image for {@code key}: from memory, else from disk, else from {@code compile} (then stored). */
    byte[] get(String key, Supplier<byte[]> compile) {
        byte[] image = MEMORY.get(key);
        if (image != null) {
            return image;
        }
        image = readDisk(key);
        if (image == null) {
            image = compile.get();
            writeDisk(key, image);
        }
        MEMORY.put(key, image);
        return image;
    }

    /** Forgets the images held in memory (tests use it to exercise the disk cache). */
    static void clearMemory() {
        MEMORY.clear();
    }

    private byte[] readDisk(String key) {
        if (directory.isEmpty()) {
            return null;
        }
        Path file = directory.get().resolve(key);
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void writeDisk(String key, byte[] image) {
        if (directory.isEmpty()) {
            return;
        }
        try {
            Path dir = Files.createDirectories(directory.get());
            AtomicFile.write(dir.resolve(key), image);
        } catch (IOException e) {
            // The image is in memory; a cache directory that cannot be written only costs a compile next run.
        }
    }
}
