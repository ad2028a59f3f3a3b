package dev.myelin.cli;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Adam;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Perceptron;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code myelin examples}: the classic first networks, each a subcommand. */
@Command(name = "examples",
        mixinStandardHelpOptions = true,
        description = "The classic examples: a perceptron on logic gates, an MLP on XOR, iris, Fashion-MNIST.",
        subcommands = {
                ExamplesCommand.LogicGates.class,
                ExamplesCommand.Xor.class,
                ExamplesCommand.Iris.class,
                ExamplesCommand.FashionMnistExample.class,
        })
public final class ExamplesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without an example name: list them, and report a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** The inputs of a two-input truth table, in the order 00, 01, 10, 11. */
    static final FloatMatrix TWO_INPUTS = FloatMatrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});

    /** Options every example has. */
    static final class Common {
        @Option(names = "--backend", paramLabel = "NAME",
                description = "cpu, opencl or cuda (default: the best available; see `myelin backends`).")
        String backend;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "" + Sequential.DEFAULT_SEED,
                description = "Seed of the initial weights, the shuffling and the split (default: ${DEFAULT-VALUE}).")
        long seed;

        Backend backend(PrintWriter out) {
            Backend b = backend == null ? Backends.get() : Backends.get(backend.toLowerCase(Locale.ROOT));
            out.println("Backend: " + b.name() + " (" + b.device() + ")");
            return b;
        }
    }

    @Command(name = "logic-gates", mixinStandardHelpOptions = true,
            description = {"Rosenblatt's perceptron learns AND, OR and NAND, and fails on XOR: one straight line"
                    + " cannot separate XOR's ones from its zeros."})
    static final class LogicGates implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Common common;

        @Option(names = "--max-epochs", paramLabel = "N", defaultValue = "100",
                description = "Epochs before giving up on a gate (default: ${DEFAULT-VALUE}).")
        int maxEpochs;

        static final Map<String, float[]> GATES = gates();

        private static Map<String, float[]> gates() {
            var m = new java.util.LinkedHashMap<String, float[]>();
            m.put("AND", new float[] {0, 0, 0, 1});
            m.put("OR", new float[] {0, 1, 1, 1});
            m.put("NAND", new float[] {1, 1, 1, 0});
            m.put("XOR", new float[] {0, 1, 1, 0});
            return m;
        }

        @Override
        public Integer call() {
            OptionChecks.atLeast(spec, "--max-epochs", maxEpochs, 1);
            PrintWriter out = spec.commandLine().getOut();
            Backend b = common.backend(out);
            Table table = new Table("gate", "targets", "outputs", "learned", ">epochs", "w1", "w2", "bias");
            for (Map.Entry<String, float[]> gate : GATES.entrySet()) {
                try (Perceptron p = new Perceptron(b, 2)) {
                    FloatMatrix y = new FloatMatrix(4, 1, gate.getValue());
                    boolean converged = p.fit(TWO_INPUTS, y, maxEpochs);
                    float[] w = p.weights();
                    table.add(gate.getKey(), bits(gate.getValue()), bits(p.predict(TWO_INPUTS).data()),
                            converged ? "yes" : "no", Integer.toString(p.epochsRun()),
                            num(w[0]), num(w[1]), num(p.bias()));
                }
            }
            out.println("Inputs (x1, x2) = 00, 01, 10, 11; the perceptron outputs step(w1*x1 + w2*x2 + bias).");
            out.print(table.toText());
            out.println("AND, OR and NAND are linearly separable, so the perceptron rule converges on them."
                    + " XOR is not:");
            out.println("the rule keeps correcting one mistake with another and stops only at --max-epochs.");
            out.println("`myelin examples xor` solves it with a hidden layer.");
            out.flush();
            return 0;
        }
    }

    @Command(name = "xor", mixinStandardHelpOptions = true,
            description = "A multi-layer perceptron (2-8-1, tanh then sigmoid, Adam) learns XOR.")
    static final class Xor implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Common common;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "300",
                description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Override
        public Integer call() {
            OptionChecks.atLeast(spec, "--epochs", epochs, 1);
            PrintWriter out = spec.commandLine().getOut();
            Backend b = common.backend(out);
            FloatMatrix y = new FloatMatrix(4, 1, LogicGates.GATES.get("XOR").clone());
            try (Sequential model = new Sequential(b).seed(common.seed).input(2)) {
                model.add(new Dense(8, "tanh")).add(new Dense(1, "sigmoid"));
                model.compile(new Adam(0.05f), Loss.binaryCrossentropy(), "accuracy");
                var history = model.fit(TWO_INPUTS, y, new FitOptions().epochs(epochs).batchSize(4).verbose(0));
                float[] p = model.predict(TWO_INPUTS).data();
                Table table = new Table("x1", "x2", "target", ">output", "class");
                for (int i = 0; i < 4; i++) {
                    table.add(num(TWO_INPUTS.get(i, 0)), num(TWO_INPUTS.get(i, 1)), num(y.data()[i]),
                            String.format(Locale.ROOT, "%.4f", p[i]), p[i] >= 0.5f ? "1" : "0");
                }
                out.print(table.toText());
                out.println("After " + epochs + " epochs: " + TrainCommand.formatLogs(Map.of(
                        "loss", history.last("loss"), "accuracy", history.last("accuracy"))));
                out.println("The hidden layer bends the decision boundary, which no single perceptron can do.");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "iris", mixinStandardHelpOptions = true,
            description = "Fisher's iris flowers (150 samples, 4 features, 3 species): a 4-16-3 network, 80/20 split.")
    static final class Iris implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Common common;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "100",
                description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Override
        public Integer call() throws Exception {
            OptionChecks.atLeast(spec, "--epochs", epochs, 1);
            PrintWriter out = spec.commandLine().getOut();
            Backend b = common.backend(out);
            TrainingData data = TrainingData.load(new TrainingData.Request("iris", null, null, common.seed, 0), out);
            return classify(out, b, data, new Mlp(data.features(), List.of(16), "relu", data.classes()),
                    common.seed, epochs, 16, 0);
        }
    }

    @Command(name = "fashion-mnist", mixinStandardHelpOptions = true,
            description = "Zalando's Fashion-MNIST (70,000 28x28 images of clothing, 10 classes):"
                    + " a 784-128-10 network.")
    static final class FashionMnistExample implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Common common;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
                description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder holding the four IDX files.")
        Path dataDir;

        @Option(names = "--limit", paramLabel = "N", hidden = true, defaultValue = "0",
                description = "Use at most this many training and test samples (0: all).")
        int limit;

        @Override
        public Integer call() throws Exception {
            OptionChecks.atLeast(spec, "--epochs", epochs, 1);
            OptionChecks.atLeast(spec, "--limit", limit, 0);
            PrintWriter out = spec.commandLine().getOut();
            Backend b = common.backend(out);
            TrainingData data = TrainingData.load(
                    new TrainingData.Request("fashion-mnist", dataDir, null, common.seed, limit), out);
            return classify(out, b, data, new Mlp(data.features(), List.of(128), "relu", data.classes()),
                    common.seed, epochs, 128, 2);
        }
    }

    /**
     * Trains {@code mlp} on {@code data}, then prints the test metrics and the accuracy of each class.
     * {@code verbose} is fit's: 0 for short epochs, whose lines would only scroll, 2 for a line per epoch.
     */
    static int classify(PrintWriter out, Backend b, TrainingData data, Mlp mlp, long seed, int epochs, int batch,
                        int verbose) {
        out.println("Data:    " + data.describe());
        try (Sequential model = mlp.build(b, seed)) {
            Loss loss = Loss.sparseCategoricalCrossentropy();
            model.compile(new Adam(), loss, "accuracy");
            out.print(model.summary());
            out.println("Training " + mlp.layout() + " for " + epochs + " epochs, batch " + batch + ", adam");
            out.flush();
            var history = model.fit(data.train().features(), data.train().labels(),
                    new FitOptions().epochs(epochs).batchSize(batch).verbose(verbose).out(Terminal.progress(out)));
            out.println("Trained: " + TrainCommand.formatLogs(Map.of("loss", history.last("loss"),
                    "accuracy", history.last("accuracy"))));
            out.println("Test:    " + TrainCommand.formatLogs(
                    model.evaluate(data.test().features(), data.test().labels(), batch)));
            FloatMatrix p = model.predict(data.test().features(), batch);
            int classes = data.classes();
            int[] right = new int[classes];
            int[] total = new int[classes];
            int[] truth = data.test().classLabels();
            for (int i = 0; i < truth.length; i++) {
                total[truth[i]]++;
                if (argmax(p, i) == truth[i]) {
                    right[truth[i]]++;
                }
            }
            Table perClass = new Table("class", ">test samples", ">accuracy");
            List<String> names = data.test().classNames();
            for (int c = 0; c < classes; c++) {
                perClass.add(names.get(c), Integer.toString(total[c]),
                        total[c] == 0 ? "n/a" : String.format(Locale.ROOT, "%.4f", (double) right[c] / total[c]));
            }
            out.print(perClass.toText());
        }
        out.flush();
        return 0;
    }

    private static int argmax(FloatMatrix m, int row) {
        int best = 0;
        for (int c = 1; c < m.cols(); c++) {
            if (m.get(row, c) > m.get(row, best)) {
                best = c;
            }
        }
        return best;
    }

    private static String bits(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) {
            sb.append(f >= 0.5f ? '1' : '0');
        }
        return sb.toString();
    }

    private static String num(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
