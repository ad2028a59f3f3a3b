package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainsOnEveryAvailableBackendAndWritesTheTableAndCurves() throws IOException {
        Path data = IdxFixture.write(dir.resolve("idx"), 400, 100, 3);
        Path out = dir.resolve("out");
        CommandRun run = CommandRun.of("demo", "--data-dir", data.toString(), "--epochs", "2", "--out", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        String report = Files.readString(out.resolve("results.md"));
        assertTrue(report.contains("| backend | device | s/epoch | samples/s | test accuracy | speedup vs cpu |"), report);
        for (String backend : Backends.availableNames()) {
            assertTrue(report.lines().anyMatch(l -> l.startsWith("| " + backend + " | ")), backend + " row: " + report);
            assertTrue(run.out().contains("== " + backend), run::toString);
        }
        assertTrue(report.contains("784-64-32-10"), report);
        for (var a : Backends.probeAll()) {
            if (!a.available()) {
                assertTrue(run.out().contains(a.backend() + " (unavailable: "), "why " + a.backend() + " did not run: " + run);
            }
        }
        assertTrue(Files.size(out.resolve("curves.png")) > 1000, "curves.png written");
    }

    @Test
    void unknownBackendIsAUsageError() {
        CommandRun run = CommandRun.of("demo", "--backends", "tpu");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--backends: unknown backend 'tpu'"), run::toString);
    }

    @Test
    void tableComparesWithTheCpuBackendAndShowsFailures() {
        List<DemoCommand.Run> runs = List.of(
                new DemoCommand.Run("cpu", "Java Vector API (8 floats)", 2.0, 30000, 0.8512, Map.of(), null),
                new DemoCommand.Run("opencl", "PoCL (CPU, 2 compute units) / pthread", 4.0, 15000, 0.8498, Map.of(), null),
                new DemoCommand.Run("cuda", "", Double.NaN, Double.NaN, Double.NaN, Map.of(), "out of memory"));
        assertEquals("""
                | backend | device | s/epoch | samples/s | test accuracy | speedup vs cpu |
                | --- | --- | ---: | ---: | ---: | ---: |
                | cpu | Java Vector API | 2.00 | 30,000 | 0.8512 | 1.00x |
                | opencl | PoCL / pthread | 4.00 | 15,000 | 0.8498 | 0.50x |
                | cuda |  | failed |  |  |  |
                """, DemoCommand.table(runs).toMarkdown());
    }

    @Test
    void withoutTheCpuBackendThereIsNoSpeedup() {
        var table = DemoCommand.table(List.of(new DemoCommand.Run("opencl", "gpu", 1.0, 60000, 0.85, Map.of(), null)));
        assertTrue(table.toMarkdown().contains("| opencl | gpu | 1.00 | 60,000 | 0.8500 | n/a |"), table.toMarkdown());
    }
}
