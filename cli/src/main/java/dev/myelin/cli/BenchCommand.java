package dev.myelin.cli;

import dev.myelin.bench.BenchBackends;
import dev.myelin.bench.run.BenchRunner;
import dev.myelin.bench.run.Suite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin bench}: runs the JMH suites on every usable backend and keeps JMH's JSON. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
                "Runs Myelin's JMH benchmarks on every backend that can run here (the others are listed with the reason)"
                        + " and keeps JMH's JSON as OUT/<timestamp>.json; when /usr/bin/python3 has torch, times the"
                        + " same workloads in PyTorch too (OUT/<timestamp>-pytorch.json).",
                "Then 'myelin report' turns the newest run into Markdown tables and PNG charts.",
                "Suites: sgemm, elementwise, activations, reductions, normalization, optimizers, training."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:results written", "1:no backend could run, or no benchmark produced a result"})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A pass of about a minute a backend: sgemm, elementwise and training"
            + " steps at a few shapes, short iterations, every core only.")
    boolean quick;

    @Option(names = {"-s", "--suite"}, split = ",", paramLabel = "SUITE",
            description = "Suites to run (comma list). Default: all, or the quick set with --quick.")
    List<String> suites = new ArrayList<>();

    @Option(names = {"-b", "--backend"}, split = ",", paramLabel = "NAME",
            description = "Backends to try (comma list of cpu, opencl, cuda). Default: all that can run.")
    List<String> backends = new ArrayList<>(BenchBackends.ALL);

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N",
            description = "CPU backend thread counts (comma list). Default: 1 and every core (every core with --quick).")
    List<Integer> threads = new ArrayList<>();

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=V1,V2",
            description = "Benchmark parameter values, as JMH's -p: e.g. -p shape=1024x1024x1024,128x784x256 or"
                    + " -p activation=relu. Replaces the declared (or quick) values in every suite that has it.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--gc", description = "Add JMH's GC profiler to every suite (the training suite always has it).")
    boolean gc;

    @Option(names = "--skip-pytorch", description = "Skip the PyTorch comparison.")
    boolean skipPytorch;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Where the JSON goes (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "bench");

    @Override
    public Integer call() {
        List<Suite> chosen = suites.isEmpty()
                ? (quick ? Suite.quickSet() : Arrays.asList(Suite.values()))
                : suites.stream().map(Suite::of).toList();
        List<Integer> counts = threads.isEmpty() ? BenchRunner.Plan.defaultThreads(quick) : threads;
        Map<String, List<String>> values = new LinkedHashMap<>();
        params.forEach((k, v) -> values.put(k, Arrays.stream(v.split(",")).map(String::trim).toList()));
        var plan = new BenchRunner.Plan(chosen, quick, backends, counts, gc, !skipPytorch, values, out);
        var log = spec.commandLine().getOut();
        Path json;
        try {
            json = new BenchRunner(log).run(plan);
        } catch (IllegalStateException e) {
            throw new CommandFailure(e.getMessage());
        }
        log.println("next: ./myelin report " + json);
        log.flush();
        return CommandLine.ExitCode.OK;
    }
}
