package dev.myelin.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

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
    void theTimingScriptIsShipped() throws Exception {
        try (InputStream in = TorchPeer.class.getResourceAsStream("torch_peer.py")) {
            assertTrue(in != null && new String(in.readAllBytes()).contains("def measure("));
        }
    }
}
