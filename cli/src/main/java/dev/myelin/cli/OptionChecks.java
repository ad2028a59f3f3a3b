package dev.myelin.cli;

import dev.myelin.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.myelin.nn.ActivationFunction;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Optimizer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values that picocli's types cannot express. A bad value is a
 * {@link ParameterException}: picocli prints the message and the usage, and exits with code 2.
 */
final class OptionChecks {

    private OptionChecks() {
    }

    static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be >= " + min + ", got " + value);
        }
    }

    static void fraction(CommandSpec spec, String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new ParameterException(spec.commandLine(), option + " must be in [0, 1), got " + value);
        }
    }

    /** The optimizer named {@code name}, with {@code learningRate} when given. */
    static Optimizer optimizer(CommandSpec spec, String name, Float learningRate) {
        try {
            Optimizer o = Optimizer.of(name);
            return learningRate == null ? o : o.learningRate(learningRate);
        } catch (IllegalArgumentException e) {
            boolean rate = learningRate != null && e.getMessage().contains("learning_rate");
            throw new ParameterException(spec.commandLine(),
                    (rate ? "--learning-rate: " : "--optimizer: ") + e.getMessage());
        }
    }

    static Loss loss(CommandSpec spec, String name) {
        try {
            return Loss.of(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--loss: " + e.getMessage());
        }
    }

    static ActivationFunction activation(CommandSpec spec, String name) {
        try {
            return ActivationFunction.of(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--activation: " + e.getMessage());
        }
    }

    static void dataName(CommandSpec spec, String name) {
        try {
            TrainingData.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Checks before any long work that {@code file} (an output option's value; null when not given) can
     * be written at the end: not a folder, FIFO or device (links followed), in a folder that exists or
     * can be made and that takes new files. Nothing is written or made.
     */
    static void outputFile(CommandSpec spec, String option, Path file) {
        if (file == null) {
            return;
        }
        try {
            AtomicFile.checkDestination(file, true);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + ": cannot write " + file + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    /** A whole-model file option must name a {@code .myelin} file. */
    static void modelFile(CommandSpec spec, String option, Path file) {
        if (file != null && !ModelFiles.isModelFile(file)) {
            throw new ParameterException(spec.commandLine(), option + ": " + file + " must end in "
                    + ModelFiles.EXTENSION + " (a whole-model file)");
        }
    }

    /** An input file option must name an existing regular file. */
    static void inputFile(CommandSpec spec, String option, Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), option + ": " + file
                    + (Files.isDirectory(file) ? " is a folder" : " does not exist") + "; expected a "
                    + ModelFiles.EXTENSION + " model file");
        }
    }

    /** Like {@link #outputFile}, for an output folder: it is a folder or can be made, and takes {@code file}. */
    static void outputFolder(CommandSpec spec, String option, Path dir, String file) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), option + ": " + dir + " is a file, expected a folder");
        }
        outputFile(spec, option, dir.resolve(file));
    }

    /** Refuses {@code option} (given when {@code value} is not null) for data other than {@code csv:PATH}. */
    static void csvOnly(CommandSpec spec, String data, String option, String value) {
        if (value != null && !data.trim().toLowerCase(Locale.ROOT).startsWith("csv:")) {
            throw new ParameterException(spec.commandLine(), option + " applies to csv:PATH data only; "
                    + data.trim() + " comes with its own labels and format (got " + option + " " + value + ")");
        }
    }

    /** The one character {@code --delimiter} names ({@code \t} or "tab" for a tab). */
    static char delimiter(CommandSpec spec, String value) {
        String v = value.equals("\\t") || value.equalsIgnoreCase("tab") ? "\t" : value;
        if (v.length() != 1 || v.charAt(0) == '"' || v.charAt(0) == '\n' || v.charAt(0) == '\r') {
            throw new ParameterException(spec.commandLine(), "--delimiter must be one character other than"
                    + " a quote or a line break (\\t for a tab), got '" + value + "'");
        }
        return v.charAt(0);
    }
}
