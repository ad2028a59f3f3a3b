package dev.myelin.bench.run;

import dev.myelin.bench.BenchBackends;
import dev.myelin.bench.report.Environment;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the chosen suites through JMH on every usable backend and keeps JMH's JSON, then (when
 * asked and possible) times the same workloads in PyTorch.
 *
 * <p>Files written, for a run started at {@code <ts>} ({@code yyyyMMdd-HHmmss}) in the output folder:
 * {@code <ts>.json} (JMH's records), {@code <ts>.env.json} (the machine, probed when the run
 * starts) and {@code <ts>-pytorch.json} (the PyTorch timings, in JMH's record layout).
 *
 * <p>The CPU backend runs at each requested thread count; GPU backends run once, with
 * {@code threads=1}, since the parameter only sizes the CPU backend's worker pool.
 */
public final class BenchRunner {

    /**
     * A quick pass: {@link Suite#quickWarmups()} x 300 ms warm-up (2 for most suites), 5 x 200 ms
     * measured (the PyTorch script uses the same, with 2 warm-ups: PyTorch needs no JIT).
     */
    static final int QUICK_WARMUP_MS = 300;
    static final int QUICK_ITERATIONS = 5;
    static final int QUICK_ITERATION_MS = 200;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * What to run.
     *
     * @param suites     the suites, in order
     * @param quick      short iterations and the suites' quick parameter sets
     * @param backends   the backends to try (unusable ones are left out with their reason)
     * @param cpuThreads CPU backend thread counts
     * @param gc         add JMH's GC profiler to every suite (the training suite always has it)
     * @param pytorch    also time the workloads in PyTorch when it is installed
     * @param params     benchmark parameter values that replace the declared (or quick) ones, e.g.
     *                   {@code shape -> [1024x1024x1024]}; a suite whose benchmarks lack the parameter ignores it
     * @param outDir     where the files go
     */
    public record Plan(List<Suite> suites, boolean quick, List<String> backends, List<Integer> cpuThreads,
            boolean gc, boolean pytorch, Map<String, List<String>> params, Path outDir) {

        public Plan {
            Objects.requireNonNull(outDir, "outDir");
            Objects.requireNonNull(params, "params");
            for (Map.Entry<String, List<String>> p : params.entrySet()) {
                if (p.getKey().equals("backend") || p.getKey().equals("threads")) {
                    throw new IllegalArgumentException("params: choose '" + p.getKey() + "' with its own option, not as"
                            + " a benchmark parameter");
                }
                if (p.getValue().isEmpty()) {
                    throw new IllegalArgumentException("params: expected at least one value for '" + p.getKey() + "'");
                }
            }
            params = Map.copyOf(params);
            if (suites == null || suites.isEmpty()) {
                throw new IllegalArgumentException("suites: expected at least one suite, got " + suites);
            }
            if (backends == null || backends.isEmpty()) {
                throw new IllegalArgumentException("backends: expected at least one backend, got " + backends);
            }
            if (cpuThreads == null || cpuThreads.isEmpty() || cpuThreads.stream().anyMatch(t -> t < 1)) {
                throw new IllegalArgumentException("cpuThreads: expected thread counts >= 1, got " + cpuThreads);
            }
            suites = List.copyOf(suites);
            backends = List.copyOf(backends);
            cpuThreads = List.copyOf(cpuThreads);
        }

        /** Thread counts of a default run: 1 and every core (only every core for a quick pass). */
        public static List<Integer> defaultThreads(boolean quick) {
            int cores = Runtime.getRuntime().availableProcessors();
            return quick || cores == 1 ? List.of(cores) : List.of(1, cores);
        }
    }

    private final PrintWriter log;

    public BenchRunner(PrintWriter log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Runs {@code plan}; returns the JMH JSON file. */
    public Path run(Plan plan) {
        List<String> usable = BenchBackends.usable(plan.backends(), log);
        if (usable.isEmpty()) {
            throw new IllegalStateException("no backend of " + plan.backends() + " can run here; see the reasons above");
        }
        String stamp = LocalDateTime.now().format(STAMP);
        Path json = plan.outDir().resolve(stamp + ".json");
        try {
            Files.createDirectories(plan.outDir());
            Environment.probe().write(plan.outDir().resolve(stamp + ".env.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + plan.outDir() + ": " + e.getMessage(), e);
        }
        List<RunResult> results = new ArrayList<>();
        for (Suite suite : plan.suites()) {
            for (String backend : usable) {
                runSuite(plan, suite, backend, results);
                writeJson(json, results);
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("no benchmark produced a result; see the log above");
        }
        log.println("JMH results: " + json);
        if (plan.pytorch()) {
            TorchPeer.Check check = TorchPeer.check();
            if (check.usable()) {
                Path torch = plan.outDir().resolve(stamp + "-pytorch.json");
                new TorchPeer(log).run(PeerWorkload.of(results), plan.cpuThreads(), plan.quick(), torch);
            } else {
                log.println("skipping the PyTorch comparison: " + check.reason());
            }
        }
        return json;
    }

    private void runSuite(Plan plan, Suite suite, String backend, List<RunResult> results) {
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include(suite.include(plan.quick()))
                .param("backend", backend)
                .param("threads", threadParam(plan, backend))
                .shouldFailOnError(false);
        Map<String, List<String>> params = new LinkedHashMap<>(suite.params(plan.quick()));
        params.putAll(plan.params());
        // JMH ignores a parameter that the included benchmarks do not declare.
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            opt.param(p.getKey(), p.getValue().toArray(String[]::new));
        }
        if (plan.quick()) {
            // Five short iterations rather than three long ones: JMH's 99.9 % error uses Student's t,
            // which is 31.6 for 2 degrees of freedom but 8.6 for 4.
            opt.warmupIterations(suite.quickWarmups()).warmupTime(TimeValue.milliseconds(QUICK_WARMUP_MS))
                    .measurementIterations(QUICK_ITERATIONS).measurementTime(TimeValue.milliseconds(QUICK_ITERATION_MS));
        }
        if (plan.gc() || suite.profileAllocation()) {
            opt.addProfiler(GCProfiler.class);
        }
        opt.timeout(TimeValue.minutes(5));
        log.println("== suite " + suite.id() + " on " + backend);
        try {
            results.addAll(new Runner(opt.build()).run());
        } catch (NoBenchmarksException e) {
            log.println("suite " + suite.id() + ": no benchmark in this build matches " + suite.include(plan.quick()));
        } catch (RunnerException e) {
            log.println("suite " + suite.id() + " on " + backend + " failed: " + e.getMessage());
        }
    }

    private static String[] threadParam(Plan plan, String backend) {
        if (!backend.equals("cpu")) {
            return new String[] {"1"};
        }
        return plan.cpuThreads().stream().map(String::valueOf).toArray(String[]::new);
    }

    private static void writeJson(Path json, List<RunResult> results) {
        try (PrintStream out = new PrintStream(Files.newOutputStream(json), true, "UTF-8")) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
        }
    }
}
