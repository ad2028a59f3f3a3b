package dev.myelin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadsTest {

    private static final String PKG = "dev.myelin.bench.";

    @Test
    void gemmIsTwoMnkFlopsPerCall() {
        Workloads.Work w = Workloads.of(PKG + "SgemmBenchmark.gemm", Map.of("shape", "128x784x256")).orElseThrow();
        assertEquals(Workloads.GFLOPS, w.unit());
        assertEquals(2.0 * 128 * 784 * 256, w.amount());
        // 51,380,224 flops in 1 ms is 51.38 GFLOP/s.
        assertEquals(51.380224, w.throughput(1e-3), 1e-9);
    }

    @Test
    void transposedGemmCountsTheSameFlopsAsItsProduct() {
        double nn = Workloads.of(PKG + "SgemmBenchmark.gemm", Map.of("shape", "784x128x256")).orElseThrow().amount();
        double tn = Workloads.of(PKG + "SgemmBenchmark.gemm", Map.of("shape", "784x128x256:TN")).orElseThrow().amount();
        assertEquals(nn, tn);
    }

    @Test
    void elementwiseCountsBytesReadAndWritten() {
        Map<String, String> relu = Map.of("op", "relu", "size", "4096x1024");
        Workloads.Work w = Workloads.of(PKG + "ElementwiseBenchmark.run", relu).orElseThrow();
        assertEquals(Workloads.GBPS, w.unit());
        assertEquals(2.0 * 4096 * 1024 * 4, w.amount());
        // 33,554,432 bytes in 1 ms is 33.55 GB/s (1 GB = 1e9 B).
        assertEquals(33.554432, w.throughput(1e-3), 1e-9);
        Map<String, String> sum = Map.of("op", "sum", "size", "4096x1024");
        assertEquals(4096.0 * 1024 * 4, Workloads.of(PKG + "ElementwiseBenchmark.run", sum).orElseThrow().amount());
    }

    @Test
    void backwardActivationReadsTwoTensorsAndWritesOne() {
        Map<String, String> p = Map.of("activation", "tanh", "size", "100x10");
        assertEquals(3.0 * 1000 * 4, Workloads.of(PKG + "ActivationBenchmark.backward", p).orElseThrow().amount());
        assertEquals(2.0 * 1000 * 4, Workloads.of(PKG + "ActivationBenchmark.forward", p).orElseThrow().amount());
    }

    @Test
    void normalizationCountsTheTensorsEachOpTouches() {
        Map<String, String> p = Map.of("axis", "PER_ROW", "size", "128x512");
        assertEquals(1.0 * 128 * 512 * 4, Workloads.of(PKG + "NormalizationBenchmark.moments", p).orElseThrow().amount());
        assertEquals(2.0 * 128 * 512 * 4,
                Workloads.of(PKG + "NormalizationBenchmark.normalize", p).orElseThrow().amount());
        assertEquals(3.0 * 128 * 512 * 4, Workloads.of(PKG + "NormalizationBenchmark.backward", p).orElseThrow().amount());
    }

    @Test
    void optimizerBytesGrowWithTheRulesSlots() {
        Map<String, String> sgd = Map.of("rule", "SGD", "size", "10x10");
        Map<String, String> adam = Map.of("rule", "ADAM", "size", "10x10");
        assertEquals(3.0 * 100 * 4, Workloads.of(PKG + "OptimizerBenchmark.update", sgd).orElseThrow().amount());
        assertEquals(7.0 * 100 * 4, Workloads.of(PKG + "OptimizerBenchmark.update", adam).orElseThrow().amount());
    }

    @Test
    void trainingCountsSamples() {
        Workloads.Work step = Workloads.of(PKG + "TrainingBenchmark.step",
                Map.of("net", "784-64-32-10", "batch", "128")).orElseThrow();
        assertEquals(Workloads.SAMPLES, step.unit());
        assertEquals(128_000, step.throughput(1e-3), 1e-6);
        Workloads.Work epoch = Workloads.of(PKG + "TrainingBenchmark.epoch",
                Map.of("net", "784-64-32-10", "batch", "128", "samples", "60000")).orElseThrow();
        assertEquals(30_000, epoch.throughput(2), 1e-9);
    }

    @Test
    void unknownBenchmarkHasNoUnit() {
        assertFalse(Workloads.of("org.example.Other.run", Map.of()).isPresent());
    }

    @Test
    void missingParameterIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Workloads.of(PKG + "ElementwiseBenchmark.run", Map.of("op", "relu")));
        assertTrue(e.getMessage().contains("'size'"), e.getMessage());
    }

    @Test
    void throughputNeedsPositiveTime() {
        Workloads.Work w = new Workloads.Work(Workloads.GBPS, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> w.throughput(0));
    }

    @Test
    void labelsAndTitles() {
        assertEquals("SGEMM", Workloads.title(PKG + "SgemmBenchmark.gemm"));
        assertEquals("128x784ᵀ·128x256", Workloads.label(PKG + "SgemmBenchmark.gemm", Map.of("shape", "784x128x256:TN")));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("op", "relu");
        params.put("size", "4096x1024");
        assertEquals("relu, 4096x1024", Workloads.label(PKG + "ElementwiseBenchmark.run", params));
    }
}
