package dev.myelin.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.myelin.bench.report.PeerTiming;
import dev.myelin.bench.report.Result;
import dev.myelin.bench.report.ResultReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchPeerTest {

    @Test
    void errorIsJmhsConfidenceHalfWidth() {
        JsonObject r = JsonParser.parseString("{\"primaryMetric\": {\"score\": 0, \"scoreUnit\": \"us/op\","
                + " \"rawData\": [[1, 2, 3, 4, 5]]}}").getAsJsonObject();
        TorchPeer.addError(r);
        JsonObject m = r.getAsJsonObject("primaryMetric");
        assertEquals(3.0, m.get("score").getAsDouble(), 1e-12);
        // t(0.9995, 4 df) = 8.6103; s = sqrt(2.5); half-width = t s / sqrt(5).
        assertEquals(8.6103 * Math.sqrt(2.5) / Math.sqrt(5), m.get("scoreError").getAsDouble(), 1e-3);
    }

    @Test
    void oneSampleHasNoError() {
        JsonObject r = JsonParser.parseString("{\"primaryMetric\": {\"score\": 0, \"scoreUnit\": \"us/op\","
                + " \"rawData\": [[7]]}}").getAsJsonObject();
        TorchPeer.addError(r);
        assertEquals("NaN", r.getAsJsonObject("primaryMetric").get("scoreError").getAsString());
    }

    @Test
    void theTimingScriptIsShippedAndNamesItsTimingAsTheReportKnowsIt() throws Exception {
        try (InputStream in = TorchPeer.class.getResourceAsStream("torch_peer.py")) {
            assertNotNull(in, "torch_peer.py is on the class path");
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(script.contains("def measure("), "measure() is defined");
            assertTrue(script.contains("TIMING = \"" + PeerTiming.PER_CALL_MEDIAN.marker() + "\""),
                    "the script marks its records with the marker PeerTiming knows");
        }
    }

    /** Runs the script for real (short budget) and reads its records as the report does; no figure is checked. */
    @Test
    void recordsFromTheScriptReadAsPerCallMedians(@TempDir Path dir) {
        TorchPeer.Check check = TorchPeer.check();
        Assumptions.assumeTrue(check.usable(), "no PyTorch to run: " + check.reason());
        List<PeerWorkload> plan = List.of(
                new PeerWorkload("dev.myelin.bench.SgemmBenchmark.gemm", Map.of("shape", "64x32x16:TN")),
                new PeerWorkload("dev.myelin.bench.TrainingBenchmark.step",
                        Map.of("net", "784-64-32-10", "batch", "128", "samples", "60000")));
        Path out = dir.resolve("torch.json");
        new TorchPeer(new PrintWriter(new StringWriter())).run(plan, List.of(1), true, out);
        List<Result> records = ResultReader.read(out);
        assertEquals(2, records.size(), records.toString());
        for (Result r : records) {
            assertEquals("pytorch", r.backend());
            assertEquals(1, r.threads());
            assertEquals(PeerTiming.PER_CALL_MEDIAN, PeerTiming.of(r));
            assertTrue(r.score() > 0 && Double.isFinite(r.scoreError()), r.toString());
        }
        JsonObject first = JsonParser.parseString(readString(out)).getAsJsonArray().get(0).getAsJsonObject()
                .getAsJsonObject("primaryMetric");
        JsonArray samples = first.getAsJsonArray("rawData").get(0).getAsJsonArray();
        assertEquals(5, samples.size(), "one sample per quick iteration");
        double sum = 0;
        for (int i = 0; i < samples.size(); i++) {
            sum += samples.get(i).getAsDouble();
        }
        assertEquals(sum / 5, first.get("score").getAsDouble(), 1e-9 * sum, "the score is the mean of the samples");
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
