package dev.myelin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report generator on a recorded run (run/20261123-144955*.json: a quick pass of the cpu and
 * opencl backends with the PyTorch comparison, on a 2-core AMD EPYC). The expected figures were
 * checked by hand against the JSON: e.g. SGEMM 1024³ on cpu took 158,626 µs per call, and
 * 2·1024³ / 158.626e-3 s = 13.54 GFLOP/s.
 */
class ReportTest {

    private static final String STEM = "20261123-144955";

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ReportTest.class.getResource("run/" + name).toURI());
    }

    /** The recorded run copied into {@code dir}, with the given siblings of the JMH file. */
    private static Path copyRun(Path dir, String... siblings) throws Exception {
        Path json = dir.resolve(STEM + ".json");
        Files.copy(fixture(STEM + ".json"), json);
        for (String s : siblings) {
            Files.copy(fixture(STEM + s), dir.resolve(STEM + s));
        }
        return json;
    }

    @Test
    void readsEveryRecordOfTheRun() throws Exception {
        List<Result> jmh = ResultReader.read(fixture(STEM + ".json"));
        assertEquals(24, jmh.size());
        Result first = jmh.getFirst();
        assertEquals("dev.myelin.bench.SgemmBenchmark.gemm", first.benchmark());
        assertEquals("cpu", first.backend());
        assertEquals(2, first.threads());
        assertEquals("us/op", first.scoreUnit());
        assertTrue(Double.isNaN(first.allocPerOp()), "no GC profiler on SGEMM");
        assertEquals("OpenJDK 64-Bit Server VM 25.0.3+9-LTS", first.jdk());
        List<Result> torch = ResultReader.read(fixture(STEM + "-pytorch.json"));
        assertEquals(12, torch.size());
        assertTrue(torch.stream().allMatch(r -> r.backend().equals("pytorch") && !Double.isNaN(r.scoreError())));
        assertEquals("1.13.0a0", torch.getFirst().peer().get("torch"));
    }

    @Test
    void writesTablesWithSpeedupsAndErrors(@TempDir Path dir) throws Exception {
        Path md = Report.generate(List.of(copyRun(dir, "-pytorch.json", ".env.json")), dir);
        assertEquals(dir.resolve(STEM + ".md"), md);
        String text = Files.readString(md);
        assertTrue(text.contains("## SGEMM (GFLOP/s)\n\n| workload | cpu 2t | opencl | pytorch 2t | opencl vs cpu"
                + " | pytorch 2t vs cpu |\n|---|---:|---:|---:|---:|---:|\n"), text);
        assertTrue(text.contains("| 1024x1024·1024x1024 | 13.54 ± 14.39 | 69.43 ± 3.86 | 143.2 ± 4.42 | 5.13× | 10.58× |"),
                text);
        assertTrue(text.contains("| 128x784ᵀ·128x256 | 36.52 ± 25.73 | 73.71 ± 46.09 | 80.21 ± 21.15 | 2.02× | 2.20× |"),
                text);
        assertTrue(text.contains("## Element-wise ops and sum (GB/s)"), text);
        assertTrue(text.contains("| relu, 4096x1024 | 25.49 ± 4.14 | 10.89 ± 3.13 | 52.62 ± 11.74 | 0.43× | 2.06× |"),
                text);
        assertTrue(text.contains("## Training step (samples/s)"), text);
        assertTrue(text.contains("| 784-64-32-10, batch 128 | 9,781 ± 19,095 | 74,059 ± 26,943 | 129,020 ± 7,000 |"
                + " 7.57× | 13.19× |"), text);
        // The training suite ran with -prof gc; PyTorch has no such figure.
        assertTrue(text.contains("| 784-64-32-10, batch 128 | 23,579,599 | 57,234 | — |"), text);
    }

    @Test
    void theTextSaysHowThePytorchColumnsWereTimed(@TempDir Path dir) throws Exception {
        // The recorded run predates per-call timing: its PyTorch records carry no peer.timing.
        String text = Files.readString(Report.generate(List.of(copyRun(dir, "-pytorch.json", ".env.json")), dir));
        assertTrue(text.contains("(JMH's mean for Myelin's backends)"), text);
        assertTrue(text.contains(PeerTiming.ITERATION_MEAN.legend()), text);
        assertTrue(!text.contains(PeerTiming.PER_CALL_MEDIAN.legend()), text);

        Path median = Files.createDirectory(dir.resolve("median"));
        Path json = copyRun(median, ".env.json");
        Files.writeString(median.resolve(STEM + "-pytorch.json"), Files.readString(fixture(STEM + "-pytorch.json"))
                .replace("\"torch\": \"1.13.0a0\",", "\"torch\": \"1.13.0a0\", \"timing\": \"per-call median\","));
        text = Files.readString(Report.generate(List.of(json), median));
        assertTrue(text.contains("PyTorch columns are medians, Myelin's are means"), text);
        assertTrue(!text.contains(PeerTiming.ITERATION_MEAN.legend()), text);
        // The timing is said in the text, not among the versions.
        assertTrue(text.contains("| PyTorch comparison | torch 1.13.0a0, python 3.11.2, torch_threads 2, numpy 1.24.2 |"),
                text);

        Path torchless = Files.createDirectory(dir.resolve("torchless"));
        text = Files.readString(Report.generate(List.of(copyRun(torchless, ".env.json")), torchless));
        assertTrue(!text.contains("PyTorch columns"), text);
    }

    @Test
    void environmentComesFromTheRunNotFromThisMachine(@TempDir Path dir) throws Exception {
        String text = Files.readString(Report.generate(List.of(copyRun(dir, "-pytorch.json", ".env.json")), dir));
        assertTrue(text.contains("| date | 2026-11-23T14:49:55"), text);
        assertTrue(text.contains("| CPU | AMD EPYC |"), text);
        assertTrue(text.contains("| Vector API | Species[float, 8, S_256_BIT], 8 floats per vector |"), text);
        assertTrue(text.contains("| backend opencl | available: Portable Computing Language"), text);
        assertTrue(text.contains("| JDK (benchmark forks) | OpenJDK 64-Bit Server VM 25.0.3+9-LTS |"), text);
        assertTrue(text.contains("| PyTorch comparison | torch 1.13.0a0, python 3.11.2, torch_threads 2, numpy 1.24.2 |"),
                text);
        assertTrue(!text.contains("| note |"), text);
    }

    @Test
    void withoutAnEnvironmentFileTheMachineIsProbedAndTheReportSaysSo(@TempDir Path dir) throws Exception {
        String text = Files.readString(Report.generate(List.of(copyRun(dir)), dir));
        assertTrue(text.contains("| note | no " + STEM + ".env.json beside the results: machine probed when the report"
                + " was made"), text);
        assertTrue(text.contains("| cores | " + Runtime.getRuntime().availableProcessors() + " available"), text);
        // No PyTorch file beside it: no PyTorch column.
        assertTrue(text.contains("| workload | cpu 2t | opencl | opencl vs cpu |"), text);
    }

    @Test
    void drawsOnePngPerBenchmark(@TempDir Path dir) throws Exception {
        Report.generate(List.of(copyRun(dir, "-pytorch.json", ".env.json")), dir);
        for (String chart : new String[] {"sgemm-gemm", "elementwise-run", "training-step"}) {
            Path png = dir.resolve(STEM + "-" + chart + ".png");
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is a PNG");
            assertTrue(image.getWidth() >= 900 && image.getHeight() >= 500, png + ": " + image.getWidth() + "x"
                    + image.getHeight());
            assertTrue(Files.readString(dir.resolve(STEM + ".md")).contains("](" + png.getFileName() + ")"));
        }
    }

    @Test
    void latestPicksTheNewestRunFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("20261101-090000.json"), "[]");
        Files.writeString(dir.resolve("20261123-100000.json"), "[]");
        Files.writeString(dir.resolve("20261123-100000-pytorch.json"), "[]");
        Files.writeString(dir.resolve("20261124-000000.env.json"), "{}");
        Files.writeString(dir.resolve("notes.json"), "[]");
        assertEquals(dir.resolve("20261123-100000.json"), Report.latest(dir));
        var e = assertThrows(IllegalArgumentException.class, () -> Report.latest(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("run the bench command first"), e.getMessage());
    }

    @Test
    void badInputIsNamed(@TempDir Path dir) throws IOException {
        Path notJson = dir.resolve("bad.json");
        Files.writeString(notJson, "{\"benchmark\": 1}");
        var e = assertThrows(IllegalArgumentException.class, () -> Report.generate(List.of(notJson), dir));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("JSON array"), e.getMessage());
        Path noMetric = dir.resolve("nometric.json");
        Files.writeString(noMetric, "[{\"benchmark\": \"a.B.c\", \"params\": {}}]");
        e = assertThrows(IllegalArgumentException.class, () -> Report.generate(List.of(noMetric), dir));
        assertTrue(e.getMessage().contains("nometric.json: record 0: missing 'primaryMetric'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Report.generate(List.of(dir.resolve("absent.json")), dir));
        assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
    }
}
