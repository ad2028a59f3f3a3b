package dev.myelin.bench.report;

import dev.myelin.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns JMH JSON files into a Markdown report with one PNG bar chart per benchmark.
 *
 * <p>For an input {@code <stem>.json} the files the {@code bench} command writes beside it are
 * picked up too: {@code <stem>-pytorch.json} (comparison columns) and {@code <stem>.env.json} (the
 * machine as probed when the run started; without it the machine is probed now, and the report says so).
 * The report goes to {@code <stem>.md} and {@code <stem>-<benchmark>.png} in the output folder.
 */
public final class Report {

    /** Names the {@code bench} command gives its JMH files. */
    private static final Pattern RUN_FILE = Pattern.compile("\\d{8}-\\d{6}\\.json");

    private Report() {
    }

    /** The newest {@code <yyyyMMdd-HHmmss>.json} in {@code dir}. */
    public static Path latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no results folder " + dir + ": run the bench command first");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> RUN_FILE.matcher(p.getFileName().toString()).matches())
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new IllegalArgumentException("no <timestamp>.json result in " + dir
                            + ": run the bench command first"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the report for {@code inputs} into {@code outDir}; returns the Markdown file. */
    public static Path generate(List<Path> inputs, Path outDir) throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs: expected at least one JMH JSON file, got none");
        }
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("input " + p + " does not exist or is not a file");
            }
        }
        System.setProperty("java.awt.headless", "true");
        Set<Path> files = new LinkedHashSet<>();
        for (Path p : inputs) {
            files.add(p);
            Path torch = sibling(p, "-pytorch.json");
            if (torch != null && Files.isRegularFile(torch)) {
                files.add(torch);
            }
        }
        List<Result> results = new ArrayList<>();
        for (Path f : files) {
            results.addAll(ResultReader.read(f));
        }
        if (results.isEmpty()) {
            throw new IllegalArgumentException("inputs " + files + " hold no JMH record");
        }
        Environment env = environment(inputs.getFirst(), results);
        List<WorkloadTable> tables = WorkloadTable.of(results);
        Files.createDirectories(outDir);
        String stem = stem(inputs.getFirst());
        Map<String, String> charts = new LinkedHashMap<>();
        for (WorkloadTable t : tables) {
            String png = stem + "-" + slug(t.benchmark()) + ".png";
            BarChart.write(t, outDir.resolve(png));
            charts.put(t.benchmark(), png);
        }
        List<String> sources = files.stream().map(p -> p.getFileName().toString()).toList();
        Path md = outDir.resolve(stem + ".md");
        AtomicFile.writeString(md, MarkdownReport.render(sources, env, tables, charts,
                PeerTiming.among(results)));
        return md;
    }

    /** The recorded environment of a run, or this machine now; plus what the records themselves say. */
    static Environment environment(Path firstInput, List<Result> results) {
        Path envFile = sibling(firstInput, ".env.json");
        Environment env = envFile != null && Files.isRegularFile(envFile) ? Environment.read(envFile)
                : Environment.probe().with("note", "no " + (envFile == null ? "environment file" : envFile.getFileName())
                        + " beside the results: machine probed when the report was made, not when it was measured");
        String jdk = results.stream().map(Result::jdk).filter(s -> !s.isEmpty()).findFirst().orElse("");
        if (!jdk.isEmpty()) {
            env = env.with("JDK (benchmark forks)", jdk);
        }
        Map<String, String> peer = results.stream().map(Result::peer).filter(m -> !m.isEmpty()).findFirst()
                .orElse(Map.of());
        if (!peer.isEmpty()) {
            // The versions; how the calls were timed goes into the text above the tables.
            env = env.with("PyTorch comparison", peer.entrySet().stream()
                    .filter(e -> !e.getKey().equals(PeerTiming.KEY))
                    .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse(""));
        }
        return env;
    }

    private static String stem(Path json) {
        String name = json.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    }

    private static Path sibling(Path json, String suffix) {
        String name = json.getFileName().toString();
        if (!name.endsWith(".json") || name.endsWith("-pytorch.json") || name.endsWith(".env.json")) {
            return null;
        }
        return json.resolveSibling(stem(json) + suffix);
    }

    /** {@code dev.myelin.bench.SgemmBenchmark.gemm} becomes {@code sgemm-gemm}. */
    static String slug(String benchmark) {
        String s = dev.myelin.bench.Workloads.shortName(benchmark).replace("Benchmark.", "-");
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "");
    }
}
