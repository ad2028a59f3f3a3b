package dev.myelin.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the CPU backend reports about the machine: the processor model and the thread count to use. */
final class CpuInfo {

    /** System property: number of threads the backend uses inside a kernel (default: every core). */
    static final String THREADS_PROPERTY = "myelin.threads";

    private CpuInfo() {
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The processor model from /proc/cpuinfo when present, else the architecture; never throws. */
    static String model() {
        Path p = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(p)) {
                List<String> lines = Files.readAllLines(p);
                for (String line : lines) {
                    if (line.startsWith("model name") || line.startsWith("Model") || line.startsWith("Hardware")) {
                        int colon = line.indexOf(':');
                        if (colon > 0 && colon + 1 < line.length()) {
                            String name = line.substring(colon + 1).trim();
                            if (!name.isEmpty()) {
                                return name;
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Fall through to the architecture name: the model is only informative.
        }
        return System.getProperty("os.arch", "unknown") + " CPU";
    }

    /** The device line: model and core count. */
    static String device() {
        int n = cores();
        return model() + ", " + n + (n == 1 ? " core" : " cores");
    }

    /**
     * The thread count from {@code myelin.threads}, or every core when unset.
     *
     * @throws IllegalArgumentException if the property is not a positive integer
     */
    static int threadsFromProperty() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) {
            return cores();
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1) {
            throw new IllegalArgumentException("system property " + THREADS_PROPERTY
                    + " must be a positive integer, got '" + v + "'");
        }
        return n;
    }
}
