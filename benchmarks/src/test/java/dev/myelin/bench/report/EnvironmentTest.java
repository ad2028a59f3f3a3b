package dev.myelin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {

    @Test
    void readsTheFirstProcessorOfCpuinfo() throws URISyntaxException {
        Path file = Path.of(EnvironmentTest.class.getResource("cpuinfo.txt").toURI());
        Map<String, String> cpu = Environment.cpuInfo(file);
        assertEquals("AMD EPYC 7B13", cpu.get("model name"));
        assertEquals("sse4_2 avx avx2 fma", Environment.simdFlags(cpu.get("flags")));
    }

    @Test
    void missingCpuinfoGivesNothing(@TempDir Path dir) {
        assertTrue(Environment.cpuInfo(dir.resolve("absent")).isEmpty());
        assertEquals("unknown", Environment.simdFlags(""));
    }

    @Test
    void probeNamesTheMachineEveryBackendAndTheLibraries() {
        Map<String, String> e = Environment.probe().entries();
        for (String key : new String[] {"date", "CPU", "cores", "SIMD", "OS", "JDK", "Vector API", "JMH", "Myelin"}) {
            assertTrue(e.containsKey(key) && !e.get(key).isBlank(), key + " in " + e);
        }
        assertTrue(e.get("cores").startsWith(Runtime.getRuntime().availableProcessors() + " "), e.get("cores"));
        assertTrue(e.get("JDK").contains(System.getProperty("java.runtime.version")), e.get("JDK"));
        for (String backend : Backends.providers().keySet()) {
            String line = e.get("backend " + backend);
            assertTrue(line != null && (line.startsWith("available") || line.startsWith("unavailable")),
                    backend + ": " + line);
        }
        // The build starts test JVMs with the Vector API module, so a species is found.
        assertTrue(e.get("Vector API").contains("floats per vector"), e.get("Vector API"));
    }

    @Test
    void libraryVersionsComeFromMavenDescriptors() {
        assertEquals("1.37", Environment.libraryVersion("org.openjdk.jmh", "jmh-core"));
        assertEquals("not on the class path", Environment.libraryVersion("org.example", "absent"));
    }

    @Test
    void writesAndReadsBack(@TempDir Path dir) throws Exception {
        Environment env = Environment.probe().with("note", "a | b");
        Path file = dir.resolve("x.env.json");
        env.write(file);
        assertEquals(env.entries(), Environment.read(file).entries());
        assertTrue(env.toMarkdown().contains("| note | a \\| b |"), env.toMarkdown());
    }

    @Test
    void malformedFileIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.env.json");
        Files.writeString(file, "[1, 2]");
        var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Environment.read(file));
        assertTrue(ex.getMessage().contains("bad.env.json"), ex.getMessage());
    }
}
