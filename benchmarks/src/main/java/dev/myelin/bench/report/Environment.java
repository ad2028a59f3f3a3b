package dev.myelin.bench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.myelin.Backends;
import dev.myelin.io.AtomicFile;
import dev.myelin.spi.Availability;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The machine a benchmark ran on, as ordered name/value lines: date, CPU, cores, SIMD flags, OS,
 * JDK, the Vector API's preferred species, every backend's probe (OpenCL platform and device, CUDA
 * driver and device, or why not) and the versions of the libraries involved.
 */
public final class Environment {

    /** Libraries whose version the report states: group, artifact, label. */
    private static final List<String[]> LIBRARIES = List.of(
            new String[] {"dev.myelin", "myelin-core", "Myelin"},
            new String[] {"org.openjdk.jmh", "jmh-core", "JMH"},
            new String[] {"org.jocl", "jocl", "JOCL"},
            new String[] {"org.jcuda", "jcuda", "JCuda"},
            new String[] {"org.jcuda", "jcublas", "JCublas"},
            new String[] {"org.knowm.xchart", "xchart", "XChart"});

    private final Map<String, String> entries;

    public Environment(Map<String, String> entries) {
        this.entries = new LinkedHashMap<>(entries);
    }

    /** Probes this machine now. */
    public static Environment probe() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("date", OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        Map<String, String> cpu = cpuInfo(Path.of("/proc/cpuinfo"));
        e.put("CPU", cpu.getOrDefault("model name", System.getProperty("os.arch")));
        e.put("cores", Runtime.getRuntime().availableProcessors() + " available to the JVM");
        e.put("SIMD", simdFlags(cpu.getOrDefault("flags", "")));
        e.put("OS", osName() + ", kernel " + System.getProperty("os.version") + ", " + System.getProperty("os.arch"));
        e.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")");
        e.put("Vector API", vectorSpecies());
        for (Availability a : Backends.probeAll()) {
            e.put("backend " + a.backend(), (a.available() ? "available" : "unavailable")
                    + (a.device().isEmpty() ? "" : ": " + a.device())
                    + (a.detail().isEmpty() ? "" : " — " + a.detail()));
        }
        for (String[] lib : LIBRARIES) {
            e.put(lib[2], libraryVersion(lib[0], lib[1]));
        }
        return new Environment(e);
    }

    /** Reads a file written by {@link #write(Path)}. */
    public static Environment read(Path file) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            Map<String, String> e = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> kv : o.entrySet()) {
                e.put(kv.getKey(), kv.getValue().getAsString());
            }
            return new Environment(e);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read environment " + file + ": " + ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("environment " + file + ": expected a JSON object of strings: "
                    + ex.getMessage(), ex);
        }
    }

    public void write(Path file) throws IOException {
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        AtomicFile.writeString(file, gson.toJson(entries));
    }

    public Map<String, String> entries() {
        return Map.copyOf(entries);
    }

    /** Adds or replaces a line (e.g. the PyTorch version found in a comparison run). */
    public Environment with(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(entries);
        e.put(name, value);
        return new Environment(e);
    }

    /** A two-column Markdown table. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("| | |\n|---|---|\n");
        entries.forEach((k, v) -> sb.append("| ").append(Markdown.escape(k)).append(" | ")
                .append(Markdown.escape(v)).append(" |\n"));
        return sb.toString();
    }

    /** The fields of the first processor block of a {@code /proc/cpuinfo}-style file; empty if unreadable. */
    static Map<String, String> cpuInfo(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() && !m.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    m.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Not Linux, or no /proc: the report then names the architecture only.
        }
        return m;
    }

    /** The vector extensions that matter for float kernels, from a cpuinfo flags line. */
    static String simdFlags(String flags) {
        List<String> have = Arrays.asList(flags.split("\\s+"));
        String found = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512_bf16", "asimd", "sve")
                .stream().filter(have::contains).collect(Collectors.joining(" "));
        return found.isEmpty() ? "unknown" : found;
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // Fall through to the JVM's name for the OS.
        }
        return System.getProperty("os.name");
    }

    /** The Vector API's preferred float species, looked up reflectively so a JVM without the module still reports. */
    static String vectorSpecies() {
        try {
            Class<?> fv = Class.forName("jdk.incubator.vector.FloatVector");
            Object species = fv.getField("SPECIES_PREFERRED").get(null);
            int lanes = (int) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("length").invoke(species);
            return species + ", " + lanes + " floats per vector";
        } catch (ClassNotFoundException e) {
            return "module jdk.incubator.vector not added to this JVM";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unavailable: " + e;
        }
    }

    /** A library's version from its Maven descriptor on the class path, or its jar manifest. */
    static String libraryVersion(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Environment.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        return "not on the class path";
    }
}
