package dev.myelin.cli;

import dev.myelin.Backends;
import dev.myelin.io.AtomicFile;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.History;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Optimizer;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Availability;
import dev.myelin.spi.Backend;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code myelin demo}: the same network, seed and data trained on every backend that can run here,
 * compared in one table (time per epoch, throughput, test accuracy, speedup over the Java CPU backend).
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Trains 784-64-32-10 (relu, softmax; Adam, batch 128) on Fashion-MNIST on every available backend"
                        + " and compares them: seconds per epoch, samples per second, test accuracy and the speedup"
                        + " over the Java CPU backend.",
                "Writes the table as Markdown (results.md) and the training curves as PNG into the output folder.",
                "s/epoch is the mean over epochs 2..N: the first epoch also pays for JIT compilation and kernel"
                        + " builds."})
public final class DemoCommand implements Callable<Integer> {

    static final String BASELINE = "cpu";
    static final List<Integer> HIDDEN = List.of(64, 32);
    static final String ACTIVATION = "relu";
    static final String EPOCH_SECONDS = "seconds per epoch";

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
            description = "Epochs on each backend (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--backends", split = ",", paramLabel = "NAME",
            description = "Backends to run, comma-separated (default: every available one; see `myelin backends`).")
    List<String> backends;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128",
            description = "Samples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + Sequential.DEFAULT_SEED,
            description = "Seed of the initial weights and the shuffling, the same on every backend"
                    + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding Fashion-MNIST's four IDX files (default: $MYELIN_DATA or"
                    + " /usr/share/datasets/fashion-mnist, installed through apt when missing and run as root).")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
            description = "Folder for results.md and the PNG curves (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--limit", paramLabel = "N", hidden = true, defaultValue = "0",
            description = "Use at most this many training and test samples (0: all).")
    int limit;

    /** One backend's run: its timing and accuracy, or why it failed. */
    record Run(String backend, String device, double secondsPerEpoch, double samplesPerSecond, double testAccuracy,
               Map<String, List<Double>> history, String failure) {

        boolean ok() {
            return failure == null;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        OptionChecks.atLeast(spec, "--epochs", epochs, 1);
        OptionChecks.atLeast(spec, "--batch-size", batchSize, 1);
        OptionChecks.atLeast(spec, "--limit", limit, 0);
        OptionChecks.outputFolder(spec, "--out", outDir, "results.md");
        List<String> names = chosenBackends();

        TrainingData data = TrainingData.load(
                new TrainingData.Request("fashion-mnist", dataDir, null, seed, limit), out);
        Mlp mlp = new Mlp(data.features(), HIDDEN, ACTIVATION, data.classes());
        out.println("Data:     " + data.describe());
        out.println("Network:  " + mlp.layout() + " (" + ACTIVATION + ", softmax), Adam, batch " + batchSize
                + ", " + epochs + " epochs, seed " + seed);
        out.println("Backends: " + String.join(", ", names) + notRun(names));
        out.flush();

        List<Run> runs = new ArrayList<>();
        for (String name : names) {
            out.println();
            out.println("== " + name);
            out.flush();
            runs.add(train(name, mlp, data, out));
        }

        Table table = table(runs);
        out.println();
        out.print(table.toText());
        Files.createDirectories(outDir);
        Path markdown = outDir.resolve("results.md");
        AtomicFile.writeString(markdown, report(data, mlp, runs, table));
        out.println();
        out.println("Table:    " + markdown);
        Map<String, Map<String, List<Double>>> curves = new LinkedHashMap<>();
        for (Run r : runs) {
            if (r.ok()) {
                curves.put(r.backend(), r.history());
            }
        }
        if (!curves.isEmpty()) {
            Path png = outDir.resolve("curves.png");
            HistoryPlot.compare(curves, "Fashion-MNIST " + mlp.layout(), png);
            out.println("Curves:   " + png);
        }
        out.flush();
        return runs.stream().allMatch(Run::ok) ? 0 : 1;
    }

    private List<String> chosenBackends() {
        if (backends == null || backends.isEmpty()) {
            List<String> available = Backends.availableNames();
            if (available.isEmpty()) {
                throw new CommandFailure("no backend can run here:\n" + Backends.describe());
            }
            return available;
        }
        List<String> known = List.copyOf(Backends.providers().keySet());
        List<String> names = new ArrayList<>();
        for (String b : backends) {
            String n = b.trim().toLowerCase(Locale.ROOT);
            if (!known.contains(n)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--backends: unknown backend '" + b + "', expected some of " + known);
            }
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    /** The backends that will not run, with the reason those that cannot run here give. */
    private static String notRun(List<String> names) {
        List<String> skipped = new ArrayList<>();
        for (Availability a : Backends.probeAll()) {
            if (!names.contains(a.backend())) {
                // The first reason is enough here; `myelin backends` gives them all.
                String why = a.detail().split(";")[0].replaceAll("\\s*\\([^()]*\\)$", "").trim();
                skipped.add(a.backend() + (a.available() ? " (not selected)" : " (unavailable: " + why + ")"));
            }
        }
        return skipped.isEmpty() ? "" : "; not run: " + String.join(", ", skipped);
    }

    /** Trains on one backend; a failure is recorded, not thrown, so the other backends still run. */
    private Run train(String name, Mlp mlp, TrainingData data, PrintWriter out) {
        String device = Backends.probeAll().stream().filter(a -> a.backend().equals(name)).findFirst()
                .map(Availability::device).orElse("");
        try (Backend backend = Backends.open(name); Sequential model = mlp.build(backend, seed)) {
            device = backend.device();
            out.println(device);
            out.flush();
            Loss loss = Loss.sparseCategoricalCrossentropy();
            model.compile(Optimizer.of("adam"), loss, "accuracy");
            EpochTimer timer = new EpochTimer();
            History history = model.fit(data.train().features(), TrainingData.targets(data.train(), loss),
                    new FitOptions().epochs(epochs).batchSize(batchSize).verbose(2).callbacks(timer)
                            .out(Terminal.progress(out)));
            Map<String, Double> test = model.evaluate(data.test().features(), TrainingData.targets(data.test(), loss),
                    batchSize);
            out.println("test: " + TrainCommand.formatLogs(test));
            double perEpoch = timer.steadySecondsPerEpoch();
            // The curves of all backends coincide (same seed, same data): their epoch times are what differs.
            Map<String, List<Double>> curves = new LinkedHashMap<>(history.history());
            curves.put(EPOCH_SECONDS, timer.seconds());
            return new Run(name, device, perEpoch, data.train().size() / perEpoch, test.get("accuracy"), curves, null);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            out.println("failed: " + why);
            if (!ErrorReporter.isUserError(e)) {
                e.printStackTrace(out);
            }
            return new Run(name, device, Double.NaN, Double.NaN, Double.NaN, Map.of(), why);
        }
    }

    static Table table(List<Run> runs) {
        double baseline = runs.stream().filter(r -> r.ok() && r.backend().equals(BASELINE))
                .mapToDouble(Run::secondsPerEpoch).findFirst().orElse(Double.NaN);
        Table t = new Table("backend", "device", ">s/epoch", ">samples/s", ">test accuracy", ">speedup vs " + BASELINE);
        for (Run r : runs) {
            if (!r.ok()) {
                t.add(r.backend(), shorten(r.device()), "failed", "", "", "");
                continue;
            }
            t.add(r.backend(), shorten(r.device()),
                    String.format(Locale.ROOT, "%.2f", r.secondsPerEpoch()),
                    String.format(Locale.ROOT, "%,.0f", r.samplesPerSecond()),
                    String.format(Locale.ROOT, "%.4f", r.testAccuracy()),
                    Double.isNaN(baseline) ? "n/a"
                            : String.format(Locale.ROOT, "%.2fx", baseline / r.secondsPerEpoch()));
        }
        return t;
    }

    /**
     * Device strings can be long (an OpenCL platform lists its build options): the table drops the
     * parenthesised details, which the report lists in full below it, and keeps at most 60 characters.
     */
    static String shorten(String device) {
        String s = device;
        for (String prev = ""; !prev.equals(s); ) {
            prev = s;
            s = s.replaceAll("\\s*\\([^()]*\\)", "");
        }
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() <= 60 ? s : s.substring(0, 59) + "…";
    }

    private String report(TrainingData data, Mlp mlp, List<Run> runs, Table table) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Myelin demo: Fashion-MNIST on every backend\n\n");
        sb.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        sb.append("- data: ").append(data.describe()).append('\n');
        sb.append("- network: ").append(mlp.layout()).append(" (").append(ACTIVATION)
                .append(", softmax), Adam (learning rate 0.001), sparse categorical cross-entropy, batch ")
                .append(batchSize).append(", ").append(epochs).append(" epochs, seed ").append(seed).append('\n');
        sb.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs visible to Java, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", Java ").append(Runtime.version()).append('\n');
        sb.append("- backends run: ").append(String.join(", ", runs.stream().map(Run::backend).toList()))
                .append(notRun(runs.stream().map(Run::backend).toList())).append('\n');
        sb.append("- s/epoch: mean wall time of epochs 2..").append(epochs)
                .append(" (epoch 1 alone when only one ran); samples/s = training samples / s/epoch;")
                .append(" speedup = ").append(BASELINE).append(" s/epoch / backend s/epoch\n\n");
        sb.append(table.toMarkdown()).append('\n');
        sb.append("Devices:\n\n");
        for (Run r : runs) {
            sb.append("- ").append(r.backend()).append(": ").append(r.device().replaceAll("\\s+", " ").trim())
                    .append(r.ok() ? "" : " (failed: " + r.failure() + ")").append('\n');
        }
        return sb.toString();
    }
}
