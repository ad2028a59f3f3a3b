package dev.myelin.cli;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.io.SafeTensors;
import dev.myelin.nn.ConfusionMatrix;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.History;
import dev.myelin.nn.Loss;
import dev.myelin.nn.ModelCheckpoint;
import dev.myelin.nn.Optimizer;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code myelin train}: trains a dense classifier on a data set and reports its test metrics. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Trains a dense network (hidden layers, then softmax) on a classification data set, prints the"
                        + " model, the progress and the loss and accuracy on the test part.",
                "Iris and CSV data are split 80/20 by class and standardised; Fashion-MNIST and MNIST come split."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATA", defaultValue = "fashion-mnist",
            description = "fashion-mnist, mnist, iris or csv:PATH (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--layers", split = ",", paramLabel = "UNITS", defaultValue = "64,32",
            description = "Units of each hidden layer, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> layers;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "Activation of the hidden layers, a Keras name: relu, tanh, sigmoid, elu, selu, leaky_relu,"
                    + " softplus, softsign, gelu, gelu_approximate, silu (swish), mish, hard_silu (hard_swish),"
                    + " hard_sigmoid, relu6, linear... (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "sgd, rmsprop, adagrad, adadelta, adam, adamw, adamax or nadam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--learning-rate", paramLabel = "RATE",
            description = "Learning rate (default: the optimizer's Keras default, 0.001 for adam).")
    Float learningRate;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "sparse_categorical_crossentropy",
            description = "A Keras loss name (default: ${DEFAULT-VALUE}); losses other than the sparse"
                    + " cross-entropy get one-hot targets.")
    String loss;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (default: 5 for fashion-mnist and mnist, 100 for iris and csv).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Samples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--validation-split", paramLabel = "FRACTION", defaultValue = "0.1",
            description = "Share of the training samples held out to validate each epoch, in [0, 1)"
                    + " (default: ${DEFAULT-VALUE}).")
    double validationSplit;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "cpu, opencl or cuda, or a comma list of preferences such as cuda,opencl (the first"
                    + " available one runs; default: the best available; see `myelin backends`).")
    String backend;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + Sequential.DEFAULT_SEED,
            description = "Seed of the initial weights, the shuffling and the iris/CSV split"
                    + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the four IDX files of fashion-mnist or mnist (raw or .gz).")
    Path dataDir;

    @Option(names = "--label-column", paramLabel = "NAME|INDEX",
            description = "For csv: the column holding the class, by header name or index (default: the last).")
    String labelColumn;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
            description = "For csv: the field separator, one character; \\t for a tab (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model to FILE: a whole model"
            + " (architecture, weights, optimizer state; see README) when FILE ends in .myelin, else the weights"
            + " alone (safetensors).")
    Path save;

    @Option(names = "--checkpoint", paramLabel = "FILE.myelin",
            description = "Write the whole model to FILE.myelin after every epoch (atomically; Keras's"
                    + " ModelCheckpoint, so {epoch:02d} or {loss:.4f} in the name make one file per epoch).")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "FILE.myelin",
            description = "Continue training the whole model in FILE.myelin (its layers, optimizer and state)"
                    + " for --epochs more epochs; --layers, --activation, --optimizer, --learning-rate and --loss"
                    + " then come from the file.")
    Path resume;

    @Option(names = "--plot", paramLabel = "FILE", description = "Write the loss and accuracy per epoch to FILE (PNG).")
    Path plot;

    @Option(names = "--limit", paramLabel = "N", hidden = true, defaultValue = "0",
            description = "Use at most this many training and test samples (0: all).")
    int limit;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        OptionChecks.atLeast(spec, "--batch-size", batchSize, 1);
        OptionChecks.atLeast(spec, "--limit", limit, 0);
        OptionChecks.fraction(spec, "--validation-split", validationSplit);
        if (epochs != null) {
            OptionChecks.atLeast(spec, "--epochs", epochs, 1);
        }
        Optimizer opt = OptionChecks.optimizer(spec, optimizer, learningRate);
        Loss lossFunction = OptionChecks.loss(spec, loss);
        OptionChecks.activation(spec, activation);
        OptionChecks.dataName(spec, data);
        OptionChecks.csvOnly(spec, data, "--label-column", labelColumn);
        OptionChecks.csvOnly(spec, data, "--delimiter", delimiter.equals(",") ? null : delimiter);
        char separator = OptionChecks.delimiter(spec, delimiter);
        for (int units : layers) {
            OptionChecks.atLeast(spec, "--layers: every hidden layer's units", units, 1);
        }
        // Before the data is read and the model trained: a run must not end in an unwritable path.
        OptionChecks.outputFile(spec, "--save", save);
        OptionChecks.outputFile(spec, "--plot", plot);
        OptionChecks.outputFile(spec, "--checkpoint", checkpoint);
        OptionChecks.modelFile(spec, "--checkpoint", checkpoint);
        OptionChecks.inputFile(spec, "--resume", resume);

        Backend b = backend == null ? Backends.get() : Backends.get(backend.toLowerCase(Locale.ROOT));
        TrainingData d = TrainingData.load(new TrainingData.Request(data, dataDir, labelColumn, separator, seed, limit), out);
        int epochCount = epochs != null ? epochs : d.name().endsWith("mnist") ? 5 : 100;
        Mlp mlp = new Mlp(d.features(), layers, activation, d.classes());

        out.println("Data:    " + d.describe());
        out.println("Backend: " + b.name() + " (" + b.device() + ")");
        out.flush();
        try (Sequential model = resume != null ? ModelFiles.resume(spec, resume, b, d)
                : mlp.build(b, seed).compile(opt, lossFunction, "accuracy")) {
            Loss modelLoss = model.loss();
            out.print(model.summary());
            out.printf(Locale.ROOT, "Training %s for %d epochs, batch %d, %s (learning rate %s), %s%s%n",
                    resume != null ? resume.toString() : mlp.layout(), epochCount, batchSize, model.optimizer().name(),
                    model.optimizer().learningRate(), modelLoss.name(),
                    resume != null ? ", from iteration " + model.iterations() : "");
            out.flush();
            FitOptions fit = new FitOptions().epochs(epochCount).batchSize(batchSize).validationSplit(validationSplit)
                    .out(Terminal.progress(out));
            if (checkpoint != null) {
                fit.callbacks(new ModelCheckpoint(checkpoint));
            }
            History history = model.fit(d.train().features(), TrainingData.targets(d.train(), modelLoss), fit);
            FloatMatrix testTargets = TrainingData.targets(d.test(), modelLoss);
            Map<String, Double> test = model.evaluate(d.test().features(), testTargets, batchSize);
            out.println("Test:    " + formatLogs(test) + " (" + d.test().size() + " samples)");
            // One predict over the test set after training, so the training steps read nothing extra back.
            ConfusionMatrix matrix = ConfusionMatrix.of(testTargets, model.predict(d.test().features(), batchSize),
                    Math.max(2, d.classes()));
            out.println("Confusion matrix (test; rows: true class, columns: predicted):");
            out.println(matrix);
            if (save != null && ModelFiles.isModelFile(save)) {
                Files.createDirectories(save.toAbsolutePath().getParent());
                model.save(save);
                out.println("Model:   " + save);
            } else if (save != null) {
                Files.createDirectories(save.toAbsolutePath().getParent());
                SafeTensors.write(save, model.namedWeights(), metadata(mlp, d, b, epochCount));
                out.println("Weights: " + save);
            }
            if (plot != null) {
                HistoryPlot.write(history.history(), d.name() + ", " + mlp.layout() + " on " + b.name(), plot);
                out.println("Plot:    " + plot);
            }
        }
        out.flush();
        return 0;
    }

    private Map<String, String> metadata(Mlp mlp, TrainingData d, Backend b, int epochCount) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "myelin");
        m.put("layers", mlp.layout());
        m.put("activation", activation);
        m.put("output_activation", "softmax");
        m.put("data", d.name());
        m.put("backend", b.name());
        m.put("epochs", Integer.toString(epochCount));
        return m;
    }

    /** Keras-style {@code loss: 0.3412 - accuracy: 0.8790}. */
    static String formatLogs(Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder();
        logs.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " - ").append(k).append(": ")
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }
}
