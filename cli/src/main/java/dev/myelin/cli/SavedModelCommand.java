package dev.myelin.cli;

import dev.myelin.Backends;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The options and data loading of the commands that use a saved whole model ({@code predict},
 * {@code evaluate}): the data is read and split exactly as {@code train} does with the same options, and
 * the command runs on its test part.
 */
abstract class SavedModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "A whole-model file written by train --save FILE.myelin.")
    Path modelFile;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DATA", defaultValue = "fashion-mnist",
            description = "fashion-mnist, mnist, iris or csv:PATH, as for train (default: ${DEFAULT-VALUE});"
                    + " the test part is used.")
    String data;

    @Option(names = "--backend", paramLabel = "NAME", description = "cpu, opencl or cuda (default: the best available).")
    String backend;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + Sequential.DEFAULT_SEED,
            description = "Seed of the iris/CSV split, as given to train (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder of the IDX files, as for train.")
    Path dataDir;

    @Option(names = "--label-column", paramLabel = "NAME|INDEX", description = "For csv: the class column.")
    String labelColumn;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",", description = "For csv: the separator.")
    String delimiter;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Samples per batch.")
    int batchSize;

    @Option(names = "--limit", paramLabel = "N", hidden = true, defaultValue = "0",
            description = "Use at most this many samples (0: all).")
    int limit;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        OptionChecks.atLeast(spec, "--batch-size", batchSize, 1);
        OptionChecks.atLeast(spec, "--limit", limit, 0);
        if (modelFile == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'MODEL' (a "
                    + ModelFiles.EXTENSION + " file written by train --save)");
        }
        OptionChecks.modelFile(spec, "MODEL", modelFile);
        OptionChecks.inputFile(spec, "MODEL", modelFile);
        OptionChecks.dataName(spec, data);
        OptionChecks.csvOnly(spec, data, "--label-column", labelColumn);
        char separator = OptionChecks.delimiter(spec, delimiter);
        Backend b = backend == null ? Backends.get() : Backends.get(backend.toLowerCase(Locale.ROOT));
        TrainingData d = TrainingData.load(new TrainingData.Request(data, dataDir, labelColumn, separator, seed, limit),
                out);
        try (Sequential model = ModelFiles.load(spec, "MODEL", modelFile, b, d)) {
            run(model, d, out);
        }
        out.flush();
        return 0;
    }

    /** The command's work on the loaded model and the data. */
    abstract void run(Sequential model, TrainingData d, PrintWriter out);
}
