package dev.myelin.bench.run;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark suites the {@code bench} command runs, each with the smaller parameter set of a
 * quick pass. Full runs use every parameter value the benchmark class declares.
 */
public enum Suite {
    SGEMM("SgemmBenchmark", true, ".*", Map.of("shape",
            List.of("256x256x256", "1024x1024x1024", "128x784x256", "784x128x256:TN", "128x256x784:NT"))),
    ELEMENTWISE("ElementwiseBenchmark", true, ".*", Map.of("size", List.of("4096x1024"))),
    ACTIVATIONS("ActivationBenchmark", false, ".*", Map.of("activation", List.of("relu", "sigmoid", "tanh"))),
    REDUCTIONS("(ReductionBenchmark|ArgmaxBenchmark)", false, ".*", Map.of("reduction", List.of("SUM"),
            "axis", List.of("ALL", "PER_COLUMN"))),
    NORMALIZATION("NormalizationBenchmark", false, ".*", Map.of("size", List.of("128x512"))),
    OPTIMIZERS("OptimizerBenchmark", false, ".*", Map.of("rule", List.of("SGD", "ADAM"))),
    TRAINING("TrainingBenchmark", true, "step", Map.of());

    /** A regular expression over the simple names of the suite's benchmark classes. */
    private final String benchmarkClass;
    private final boolean inQuickPass;
    private final String quickMethods;
    private final Map<String, List<String>> quickParams;

    Suite(String benchmarkClass, boolean inQuickPass, String quickMethods, Map<String, List<String>> quickParams) {
        this.benchmarkClass = benchmarkClass;
        this.inQuickPass = inQuickPass;
        this.quickMethods = quickMethods;
        this.quickParams = new LinkedHashMap<>(quickParams);
    }

    /** The lower-case name used on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JMH include pattern of this suite; a quick pass may run only some of its methods. */
    public String include(boolean quick) {
        return "dev\\.myelin\\.bench\\." + benchmarkClass + "\\." + (quick ? quickMethods : ".*") + "$";
    }

    /** Parameter values that replace the declared ones; empty for a full run. */
    public Map<String, List<String>> params(boolean quick) {
        return quick ? quickParams : Map.of();
    }

    public boolean inQuickPass() {
        return inQuickPass;
    }

    /**
     * Warm-up iterations of a quick pass. A training step runs dozens of kernels that C2 compiles over
     * seconds on two cores: with the common 0.6 s the CPU backend's step was timed (and its allocation
     * counted) while still partly interpreted, at several times its settled cost; after 2.4 s the wide
     * net still allocated 22 kB a step instead of its settled 0.5 kB. Hence 6 s. SGEMM gets 2.4 s: with
     * AVX-512 and 0.6 s of warm-up, the quick pass timed 128x784.784x256 (the 8-row kernel reading A in
     * place) at 239, 568, 42, 2.4 and 1.2 ms a call, still compiling; after 2.4 s it read 0.77-0.81 ms.
     */
    public int quickWarmups() {
        return switch (this) {
            case TRAINING -> 20;
            case SGEMM -> 8;
            default -> 2;
        };
    }

    /** Training steps are also measured with JMH's GC profiler, so the report shows allocation per step. */
    public boolean profileAllocation() {
        return this == TRAINING;
    }

    /** The suites of a quick pass. */
    public static List<Suite> quickSet() {
        return Arrays.stream(values()).filter(Suite::inQuickPass).toList();
    }

    /** Parses a command-line name such as {@code sgemm}. */
    public static Suite of(String id) {
        for (Suite s : values()) {
            if (s.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("suite: expected one of "
                + Arrays.stream(values()).map(Suite::id).toList() + ", got '" + id + "'");
    }
}
