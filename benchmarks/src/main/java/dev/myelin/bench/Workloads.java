package dev.myelin.bench;

import dev.myelin.spi.UpdateRule;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that knows how much work one call of each benchmark does, so the report can turn
 * JMH's time per call into the unit people compare:
 *
 * <pre>
 * benchmark                          unit       work per call
 * SgemmBenchmark.gemm                GFLOP/s    2 m n k flops
 * ElementwiseBenchmark.run           GB/s       relu, sigmoid, tanh, softmax: 2 n 4 B (x read, y written)
 *                                               sum: n 4 B (x read; the 1-value output is not counted)
 * ActivationBenchmark.forward        GB/s       2 n 4 B (x read, y written)
 * ActivationBenchmark.backward       GB/s       3 n 4 B (y and dy read, dx written)
 * ReductionBenchmark.reduce         GB/s       n 4 B (x read; the output, at most 1/1024 of it, not counted)
 * ArgmaxBenchmark.argmax            GB/s       n 4 B (x read)
 * NormalizationBenchmark.moments     GB/s       n 4 B (x read; the statistics not counted)
 * NormalizationBenchmark.normalize   GB/s       2 n 4 B (x read, y written)
 * NormalizationBenchmark.backward    GB/s       3 n 4 B (x and dy read, dx written)
 * OptimizerBenchmark.update          GB/s       (3 + 2 s) n 4 B for a rule with s slots
 *                                               (w, g and the slots read; w and the slots written)
 * TrainingBenchmark.step             samples/s  batch samples
 * TrainingBenchmark.epoch            samples/s  samples (the training-set size)
 * </pre>
 *
 * n is the element count of the benchmark's tensor; 1 GB = 1e9 B, 1 GFLOP = 1e9 flops. The byte
 * counts are the algorithmic minimum (each operand touched once), as the PyTorch comparison counts them.
 */
public final class Workloads {

    public static final String GFLOPS = "GFLOP/s";
    public static final String GBPS = "GB/s";
    public static final String SAMPLES = "samples/s";

    /** What one call does: {@code amount} units of work, reported as {@code unit} (amount / s / scale). */
    public record Work(String unit, double amount, double scale) {

        /** Throughput in {@link #unit()} for a call taking {@code seconds}. */
        public double throughput(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("seconds: expected > 0, got " + seconds);
            }
            return amount / seconds / scale;
        }
    }

    private Workloads() {
    }

    /**
     * The work of one call of {@code benchmark} (JMH's name, {@code package.Class.method}) with
     * {@code params}; empty for a benchmark this class does not know.
     */
    public static Optional<Work> of(String benchmark, Map<String, String> params) {
        String key = shortName(benchmark);
        return Optional.ofNullable(switch (key) {
            case "SgemmBenchmark.gemm" -> new Work(GFLOPS, GemmShape.parse(param(params, "shape")).flops(), 1e9);
            case "ElementwiseBenchmark.run" -> bytes(param(params, "op").equals("sum") ? 1 : 2, elements(params, "size"));
            case "ActivationBenchmark.forward" -> bytes(2, elements(params, "size"));
            case "ActivationBenchmark.backward" -> bytes(3, elements(params, "size"));
            case "ReductionBenchmark.reduce", "ArgmaxBenchmark.argmax", "NormalizationBenchmark.moments" ->
                    bytes(1, elements(params, "size"));
            case "NormalizationBenchmark.normalize" -> bytes(2, elements(params, "size"));
            case "NormalizationBenchmark.backward" -> bytes(3, elements(params, "size"));
            case "OptimizerBenchmark.update" -> bytes(
                    3 + 2 * UpdateRule.valueOf(param(params, "rule").toUpperCase(Locale.ROOT)).slots(),
                    elements(params, "size"));
            case "TrainingBenchmark.step" -> new Work(SAMPLES, Integer.parseInt(param(params, "batch")), 1);
            case "TrainingBenchmark.epoch" -> new Work(SAMPLES, Integer.parseInt(param(params, "samples")), 1);
            default -> null;
        });
    }

    /** A heading for a benchmark's table, e.g. "SGEMM" for {@code SgemmBenchmark.gemm}. */
    public static String title(String benchmark) {
        return switch (shortName(benchmark)) {
            case "SgemmBenchmark.gemm" -> "SGEMM";
            case "ElementwiseBenchmark.run" -> "Element-wise ops and sum";
            case "ActivationBenchmark.forward" -> "Activations, forward";
            case "ActivationBenchmark.backward" -> "Activations, backward";
            case "ReductionBenchmark.reduce" -> "Reductions";
            case "ArgmaxBenchmark.argmax" -> "Argmax per row";
            case "NormalizationBenchmark.moments" -> "Normalization statistics";
            case "NormalizationBenchmark.normalize" -> "Normalization, forward";
            case "NormalizationBenchmark.backward" -> "Normalization, backward";
            case "OptimizerBenchmark.update" -> "Optimizer updates";
            case "TrainingBenchmark.step" -> "Training step";
            case "TrainingBenchmark.epoch" -> "Training epoch";
            default -> shortName(benchmark);
        };
    }

    /** A row label for a workload: the GEMM as people write it, else the parameter values. */
    public static String label(String benchmark, Map<String, String> workloadParams) {
        Map<String, String> p = workloadParams;
        return switch (shortName(benchmark)) {
            case "SgemmBenchmark.gemm" -> GemmShape.parse(param(p, "shape")).label();
            case "TrainingBenchmark.step" -> param(p, "net") + ", batch " + param(p, "batch");
            case "TrainingBenchmark.epoch" -> param(p, "net") + ", batch " + param(p, "batch") + ", "
                    + param(p, "samples") + " samples";
            default -> String.join(", ", p.values());
        };
    }

    /** {@code dev.myelin.bench.SgemmBenchmark.gemm} becomes {@code SgemmBenchmark.gemm}. */
    public static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int cls = method > 0 ? benchmark.lastIndexOf('.', method - 1) : -1;
        return benchmark.substring(cls + 1);
    }

    private static Work bytes(int tensorsTouched, long elements) {
        return new Work(GBPS, (double) tensorsTouched * elements * Float.BYTES, 1e9);
    }

    private static long elements(Map<String, String> params, String name) {
        int[] d = BackendBenchmark.dims(name, param(params, name));
        return (long) d[0] * d[1];
    }

    private static String param(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("params: expected a '" + name + "' parameter, got " + params.keySet());
        }
        return v;
    }
}
