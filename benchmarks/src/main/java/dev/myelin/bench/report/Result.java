package dev.myelin.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One JMH record (or one PyTorch record in JMH's layout): a benchmark with its parameters and
 * JMH's primary score.
 *
 * @param benchmark   JMH's name, {@code package.Class.method}
 * @param mode        JMH's mode: {@code avgt}, {@code thrpt}, {@code ss} or {@code sample}
 * @param params      every parameter, {@code backend} and {@code threads} included
 * @param score       the mean over measurement iterations, in {@code scoreUnit}
 * @param scoreError  JMH's error (half-width of the 99.9 % confidence interval); NaN when unknown
 * @param scoreUnit   e.g. {@code us/op} or {@code ops/s}
 * @param allocPerOp  bytes allocated per call ({@code gc.alloc.rate.norm} of {@code -prof gc}); NaN when not measured
 * @param jdk         the JDK the record was measured on, in words; empty when the record does not say
 * @param peer        for a PyTorch record, the versions it reported ({@code torch}, {@code numpy}...); else empty
 */
public record Result(String benchmark, String mode, Map<String, String> params, double score, double scoreError,
        String scoreUnit, double allocPerOp, String jdk, Map<String, String> peer) {

    public Result {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scoreUnit, "scoreUnit");
        params = new LinkedHashMap<>(params);
        peer = new LinkedHashMap<>(peer);
        jdk = jdk == null ? "" : jdk;
    }

    /** The {@code backend} parameter ({@code pytorch} for the comparison records). */
    public String backend() {
        return params.getOrDefault("backend", "?");
    }

    /** The {@code threads} parameter; 1 when absent. */
    public int threads() {
        return Integer.parseInt(params.getOrDefault("threads", "1"));
    }

    /** The parameters that name the workload: all but backend and threads. */
    public Map<String, String> workloadParams() {
        Map<String, String> w = new LinkedHashMap<>(params);
        w.remove("backend");
        w.remove("threads");
        return w;
    }

    /** Seconds one call took, from the score and its unit. */
    public double secondsPerCall() {
        return Units.secondsPerCall(score, scoreUnit);
    }
}
