package dev.myelin.cli;

import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/** The command line's whole-model files ({@code .myelin}: see README): resuming and checks. */
final class ModelFiles {

    /** The extension of whole-model files (a zip with config.json and safetensors). */
    static final String EXTENSION = ".myelin";

    private ModelFiles() {
    }

    static boolean isModelFile(Path file) {
        return file.getFileName() != null
                && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(EXTENSION);
    }

    /** Loads {@code file} and checks that it takes the data's features and classes. */
    static Sequential load(CommandSpec spec, String option, Path file, Backend backend, TrainingData d)
            throws IOException {
        OptionChecks.inputFile(spec, option, file);
        Sequential model = Sequential.load(file, backend);
        if (model.inputSize() != d.features() || model.outputSize() != d.classes()) {
            model.close();
            throw new CommandFailure(file + " takes " + model.inputSize() + " features and gives "
                    + model.outputSize() + " outputs; " + d.name() + " has " + d.features() + " features and "
                    + d.classes() + " classes");
        }
        if (!model.isCompiled()) {
            model.close();
            throw new CommandFailure(file + " holds an uncompiled model (no loss to train or evaluate with)");
        }
        return model;
    }

    static Sequential resume(CommandSpec spec, Path file, Backend backend, TrainingData d) throws IOException {
        return load(spec, "--resume", file, backend, d);
    }
}
