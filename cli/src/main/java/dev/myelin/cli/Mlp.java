package dev.myelin.cli;

import dev.myelin.nn.Dense;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A multi-layer perceptron for classification: hidden dense layers of one activation, then a softmax
 * layer with one unit per class.
 */
record Mlp(int inputs, List<Integer> hidden, String activation, int classes) {

    Mlp {
        if (inputs < 1) {
            throw new IllegalArgumentException("Mlp: argument 'inputs' must be >= 1, got " + inputs);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("Mlp: argument 'classes' must be >= 2, got " + classes);
        }
        hidden = List.copyOf(hidden);
        for (int units : hidden) {
            if (units < 1) {
                throw new IllegalArgumentException("--layers: every hidden layer needs >= 1 unit, got " + hidden);
            }
        }
    }

    /** The model, not yet compiled, with its initial weights drawn from {@code seed}. */
    Sequential build(Backend backend, long seed) {
        Sequential model = new Sequential(backend).seed(seed).input(inputs);
        try {
            for (int units : hidden) {
                model.add(new Dense(units, activation));
            }
            model.add(new Dense(classes, "softmax"));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** E.g. {@code 784-64-32-10}. */
    String layout() {
        return Stream.concat(Stream.concat(Stream.of(inputs), hidden.stream()), Stream.of(classes))
                .map(String::valueOf).collect(Collectors.joining("-"));
    }
}
