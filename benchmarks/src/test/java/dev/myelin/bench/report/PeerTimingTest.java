package dev.myelin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerTimingTest {

    private static Result record(String backend, Map<String, String> peer) {
        return new Result("dev.myelin.bench.SgemmBenchmark.gemm", "avgt",
                Map.of("backend", backend, "threads", "1", "shape", "8x8x8"), 1, 0.1, "us/op", Double.NaN, "", peer);
    }

    @Test
    void theRecordSaysHowItWasTimed() {
        assertEquals(PeerTiming.PER_CALL_MEDIAN,
                PeerTiming.of(record("pytorch", Map.of("torch", "1.13", "timing", "per-call median"))));
        assertEquals(PeerTiming.ITERATION_MEAN, PeerTiming.of(record("pytorch", Map.of("torch", "1.13"))));
    }

    @Test
    void onlyPytorchRecordsCountAndEachTimingIsNamedOnce() {
        Result median = record("pytorch", Map.of("timing", "per-call median"));
        Result mean = record("pytorch", Map.of());
        assertEquals(List.of(), PeerTiming.among(List.of(record("cpu", Map.of()))));
        assertEquals(List.of(PeerTiming.PER_CALL_MEDIAN), PeerTiming.among(List.of(record("cpu", Map.of()), median,
                median)));
        assertEquals(List.of(PeerTiming.PER_CALL_MEDIAN, PeerTiming.ITERATION_MEAN),
                PeerTiming.among(List.of(mean, median)));
    }

    @Test
    void anUnknownTimingIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PeerTiming.of(record("pytorch", Map.of("timing", "p90"))));
        assertTrue(e.getMessage().contains("peer.timing: expected one of ['per-call median', ''], got 'p90'")
                && e.getMessage().contains("SgemmBenchmark.gemm"), e.getMessage());
    }
}
