package dev.myelin.cli;

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
}
