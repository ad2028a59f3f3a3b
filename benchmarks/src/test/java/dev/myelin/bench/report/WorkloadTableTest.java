package dev.myelin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadTableTest {

    private static final String GEMM = "dev.myelin.bench.SgemmBenchmark.gemm";

    /** A GEMM of 1000³ (2e9 flops) taking {@code ms} milliseconds, so it runs at 2000 / ms GFLOP/s. */
    private static Result gemm(String backend, int threads, double ms, double errorMs) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("backend", backend);
        p.put("shape", "1000x1000x1000");
        p.put("threads", Integer.toString(threads));
        return new Result(GEMM, "avgt", p, ms, errorMs, "ms/op", Double.NaN, "", Map.of());
    }

    @Test
    void columnsAreBackendsInOrderWithThreadCountsWhereTheyMatter() {
        WorkloadTable t = WorkloadTable.of(List.of(gemm("pytorch", 2, 10, 1), gemm("opencl", 1, 5, 0.5),
                gemm("cpu", 2, 20, 2), gemm("cpu", 1, 40, 4))).getFirst();
        assertEquals(List.of("cpu 1t", "cpu 2t", "opencl", "pytorch 2t"),
                t.columns().stream().map(WorkloadTable.Column::label).toList());
        assertEquals("GFLOP/s", t.unit());
        assertEquals(List.of("1000x1000·1000x1000"), t.rows());
        WorkloadTable.Cell cpu2 = t.cell(t.rows().getFirst(), t.columns().get(1));
        assertEquals(100, cpu2.value(), 1e-9);
        // 10 % error on the time is 10 % on the rate.
        assertEquals(10, cpu2.error(), 1e-9);
    }

    @Test
    void gpuIsComparedWithTheFastestCpuColumnAndPytorchWithTheSameThreadCount() {
        WorkloadTable t = WorkloadTable.of(List.of(gemm("cpu", 1, 40, 1), gemm("cpu", 2, 20, 1),
                gemm("opencl", 1, 5, 1), gemm("pytorch", 1, 10, 1), gemm("pytorch", 2, 10, 1))).getFirst();
        String row = t.rows().getFirst();
        Map<String, WorkloadTable.Column> byLabel = new LinkedHashMap<>();
        t.columns().forEach(c -> byLabel.put(c.label(), c));
        assertEquals(4.0, t.speedup(row, byLabel.get("opencl")), 1e-12);
        assertEquals(4.0, t.speedup(row, byLabel.get("pytorch 1t")), 1e-12);
        assertEquals(2.0, t.speedup(row, byLabel.get("pytorch 2t")), 1e-12);
        assertEquals(List.of("opencl", "pytorch 1t", "pytorch 2t"),
                t.comparedColumns().stream().map(WorkloadTable.Column::label).toList());
    }

    @Test
    void missingCellsAndUnknownErrorsStayVisible() {
        Result noError = gemm("cpu", 1, 20, Double.NaN);
        WorkloadTable t = WorkloadTable.of(List.of(noError, gemm("opencl", 1, 5, 1))).getFirst();
        String row = t.rows().getFirst();
        assertTrue(Double.isNaN(t.cell(row, t.columns().getFirst()).error()));
        assertEquals("100.0", MarkdownReport.valueWithError(t.cell(row, t.columns().getFirst())));
        Map<String, String> other = new LinkedHashMap<>(Map.of("backend", "opencl", "threads", "1",
                "shape", "10x10x10"));
        t = WorkloadTable.of(List.of(noError, new Result(GEMM, "avgt", other, 1, 0.1, "us/op", Double.NaN, "",
                Map.of()))).getFirst();
        assertEquals(2, t.rows().size());
        assertNull(t.cell("10x10·10x10", t.columns().getFirst()), "cpu did not run 10³");
        assertTrue(Double.isNaN(t.speedup("10x10·10x10", t.columns().get(1))));
    }

    @Test
    void numbersGetDigitsForTheirMagnitude() {
        assertEquals("12,346", MarkdownReport.number(12345.6));
        assertEquals("123.5", MarkdownReport.number(123.45));
        assertEquals("1.23", MarkdownReport.number(1.234));
        assertEquals("0.0123", MarkdownReport.number(0.012345));
    }
}
