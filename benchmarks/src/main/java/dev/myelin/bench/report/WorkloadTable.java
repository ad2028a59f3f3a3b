package dev.myelin.bench.report;

import dev.myelin.bench.BenchBackends;
import dev.myelin.bench.Workloads;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The results of one benchmark method as a table: one row per workload (its parameters other than
 * backend and threads), one column per backend and thread count, cells in the workload's
 * throughput unit (GFLOP/s, GB/s, samples/s; higher is better).
 */
public final class WorkloadTable {

    /** A measured cell: throughput and its error in the table's unit, bytes allocated per call (NaN if unknown). */
    public record Cell(double value, double error, double allocPerCall) {
    }

    /** A column: one backend at one thread count. */
    public record Column(String backend, int threads, String label) {

        boolean isCpuBackend() {
            return backend.equals("cpu");
        }

        boolean isGpuBackend() {
            return BenchBackends.ALL.contains(backend) && !isCpuBackend();
        }
    }

    private final String benchmark;
    private final String title;
    private final String unit;
    private final List<String> rows = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();
    private final Map<String, Map<Column, Cell>> cells = new LinkedHashMap<>();

    private WorkloadTable(String benchmark, String unit) {
        this.benchmark = benchmark;
        this.title = Workloads.title(benchmark);
        this.unit = unit;
    }

    /** One table per benchmark method, in the order the methods first appear in {@code results}. */
    public static List<WorkloadTable> of(List<Result> results) {
        Map<String, List<Result>> byBenchmark = new LinkedHashMap<>();
        for (Result r : results) {
            byBenchmark.computeIfAbsent(r.benchmark(), k -> new ArrayList<>()).add(r);
        }
        List<WorkloadTable> tables = new ArrayList<>();
        byBenchmark.forEach((name, rs) -> tables.add(build(name, rs)));
        return tables;
    }

    private static WorkloadTable build(String benchmark, List<Result> results) {
        String unit = Workloads.of(benchmark, results.getFirst().workloadParams())
                .map(Workloads.Work::unit).orElse("calls/s");
        WorkloadTable t = new WorkloadTable(benchmark, unit);
        Map<String, Set<Integer>> threadsOf = new LinkedHashMap<>();
        for (Result r : results) {
            threadsOf.computeIfAbsent(r.backend(), k -> new TreeSet<>()).add(r.threads());
        }
        List<Column> cols = new ArrayList<>();
        threadsOf.forEach((backend, ts) -> {
            for (int th : ts) {
                // Thread counts size the CPU backend and PyTorch; a GPU column carries one unless runs differ.
                boolean showThreads = !BenchBackends.ALL.contains(backend) || backend.equals("cpu") || ts.size() > 1;
                cols.add(new Column(backend, th, showThreads ? backend + " " + th + "t" : backend));
            }
        });
        cols.sort(Comparator.comparingInt((Column c) -> order(c.backend())).thenComparingInt(Column::threads));
        t.columns.addAll(cols);
        for (Result r : results) {
            String row = Workloads.label(benchmark, r.workloadParams());
            if (!t.cells.containsKey(row)) {
                t.rows.add(row);
                t.cells.put(row, new LinkedHashMap<>());
            }
            Workloads.Work work = Workloads.of(benchmark, r.workloadParams())
                    .orElse(new Workloads.Work("calls/s", 1, 1));
            double seconds = r.secondsPerCall();
            double value = work.throughput(seconds);
            // The error of a rate to first order: the same relative error as the time.
            double error = Double.isNaN(r.scoreError()) ? Double.NaN : value * r.scoreError() / r.score();
            Column col = t.columns.stream().filter(c -> c.backend().equals(r.backend()) && c.threads() == r.threads())
                    .findFirst().orElseThrow();
            t.cells.get(row).put(col, new Cell(value, error, r.allocPerOp()));
        }
        return t;
    }

    /** Myelin's backends first (cpu, opencl, cuda), then the comparison columns. */
    private static int order(String backend) {
        int i = BenchBackends.ALL.indexOf(backend);
        return i >= 0 ? i : BenchBackends.ALL.size();
    }

    public String benchmark() {
        return benchmark;
    }

    public String title() {
        return title;
    }

    public String unit() {
        return unit;
    }

    public List<String> rows() {
        return List.copyOf(rows);
    }

    public List<Column> columns() {
        return List.copyOf(columns);
    }

    /** The cell of {@code row} and {@code column}; null when that combination was not measured. */
    public Cell cell(String row, Column column) {
        return cells.getOrDefault(row, Map.of()).get(column);
    }

    /** The columns that get a speedup column: every one but the CPU backend's. */
    public List<Column> comparedColumns() {
        return columns.stream().filter(c -> !c.isCpuBackend()).toList();
    }

    public boolean hasCpuColumn() {
        return columns.stream().anyMatch(Column::isCpuBackend);
    }

    /**
     * How many times faster {@code column} is than the CPU backend on {@code row}: against the CPU
     * backend at the same thread count for a CPU-side comparison (PyTorch), against the fastest CPU
     * column for a GPU backend. NaN when either is missing.
     */
    public double speedup(String row, Column column) {
        Cell c = cell(row, column);
        if (c == null) {
            return Double.NaN;
        }
        double reference = Double.NaN;
        for (Column cpu : columns) {
            Cell rc = cell(row, cpu);
            if (!cpu.isCpuBackend() || rc == null) {
                continue;
            }
            if (!column.isGpuBackend() && cpu.threads() == column.threads()) {
                reference = rc.value();
                break;
            }
            if (column.isGpuBackend() && !(rc.value() <= reference)) {
                reference = rc.value();
            }
        }
        return c.value() / reference;
    }

    /** Whether any cell carries an allocation figure ({@code -prof gc}). */
    public boolean hasAllocation() {
        return cells.values().stream().flatMap(m -> m.values().stream()).anyMatch(c -> !Double.isNaN(c.allocPerCall()));
    }
}
