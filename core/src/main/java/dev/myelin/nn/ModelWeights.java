package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The weights of a {@link Sequential} as host matrices and safetensors files: every weight, trainable or
 * not, in Keras order under its full name ({@code dense/kernel}). Every setter checks all names and shapes
 * before it changes anything.
 */
final class ModelWeights {

    private final Model model;

    ModelWeights(Model model) {
        this.model = model;
    }

    List<FloatMatrix> list() {
        return new ArrayList<>(named().values());
    }

    LinkedHashMap<String, FloatMatrix> named() {
        model.guard.enterShared("getWeights");
        try {
            LinkedHashMap<String, FloatMatrix> out = new LinkedHashMap<>();
            for (Parameter p : model.params) {
                out.put(p.name, new FloatMatrix(p.value.rows(), p.value.cols(), p.value.toArray()));
            }
            return out;
        } finally {
            model.guard.exitShared();
        }
    }

    void set(List<FloatMatrix> weights) {
        Objects.requireNonNull(weights, "setWeights: argument 'weights' is null");
        requireBuilt("setWeights");
        Parameter[] params = model.params;
        if (weights.size() != params.length) {
            throw new IllegalArgumentException("setWeights: argument 'weights' must hold " + params.length
                    + " matrices " + expectedShapes() + ", got " + weights.size());
        }
        for (int i = 0; i < params.length; i++) {
            FloatMatrix w = Objects.requireNonNull(weights.get(i), "setWeights: argument 'weights' holds null");
            checkShape("setWeights", "weights[" + i + "]", params[i], w.rows(), w.cols());
        }
        write("setWeights", i -> weights.get(i));
    }

    void setNamed(Map<String, FloatMatrix> weights) {
        Objects.requireNonNull(weights, "setNamedWeights: argument 'weights' is null");
        requireBuilt("setNamedWeights");
        checkNames("setNamedWeights", weights.keySet());
        for (Parameter p : model.params) {
            FloatMatrix w = weights.get(p.name);
            checkShape("setNamedWeights", p.name, p, w.rows(), w.cols());
        }
        write("setNamedWeights", i -> weights.get(model.params[i].name));
    }

    private void write(String op, java.util.function.IntFunction<FloatMatrix> value) {
        // A callback of fit (restoring the best weights) writes from the training thread, which holds the model.
        boolean nested = model.guard.isTrainingThread();
        if (!nested) {
            model.guard.enter(op);
        }
        try {
            for (int i = 0; i < model.params.length; i++) {
                model.params[i].value.copyFrom(value.apply(i).data());
            }
        } finally {
            if (!nested) {
                model.guard.exit();
            }
        }
    }

    void save(Path file) throws IOException {
        Objects.requireNonNull(file, "saveWeights: argument 'file' is null");
        if (!model.built) {
            throw new IllegalStateException("saveWeights: the model is not built; it has no weights yet");
        }
        SafeTensors.write(file, named());
    }

    /**
     * Builds an unbuilt model, checks the file's header (names and shapes) against the weights before any
     * data is read, then reads and sets them; on any failure a model that was unbuilt is unbuilt again.
     */
    void load(Path file) throws IOException {
        Objects.requireNonNull(file, "loadWeights: argument 'file' is null");
        boolean wasBuilt = model.built;
        if (!wasBuilt) {
            if (model.inputSize < 1) {
                throw new IllegalStateException("loadWeights: the model is not built and its input size is unknown;"
                        + " call input(n) first");
            }
            model.build(model.inputSize);
        }
        try {
            setNamed(SafeTensors.readWithMetadata(file, shapes -> checkLayout(file, shapes)).tensors());
        } catch (IOException | RuntimeException | Error e) {
            if (!wasBuilt) {
                model.unbuild();
            }
            throw e;
        }
    }

    /** Throws unless {@code shapes} (from a file's header) are exactly the model's weights. */
    void checkLayout(Object source, Map<String, int[]> shapes) {
        try {
            checkNames("loadWeights", shapes.keySet());
            for (Parameter p : model.params) {
                int[] shape = shapes.get(p.name);
                checkShape("loadWeights", p.name, p, shape[0], shape[1]);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("loadWeights: " + source + " does not fit the model: " + e.getMessage(), e);
        }
    }

    private void requireBuilt(String op) {
        if (!model.built) {
            throw new IllegalStateException(op + ": the model is not built; call input(n) or build(n) first");
        }
    }

    private void checkNames(String op, java.util.Set<String> names) {
        List<String> expected = Arrays.stream(model.params).map(p -> p.name).toList();
        if (!names.equals(new HashSet<>(expected))) {
            throw new IllegalArgumentException(op + ": argument 'weights' must hold exactly the tensors "
                    + expected + ", got " + names);
        }
    }

    private static void checkShape(String op, String arg, Parameter p, int rows, int cols) {
        if (rows != p.value.rows() || cols != p.value.cols()) {
            throw new IllegalArgumentException(op + ": '" + arg + "' must be [" + p.value.rows() + " x "
                    + p.value.cols() + "] (" + p.name + "), got [" + rows + " x " + cols + "]");
        }
    }

    private String expectedShapes() {
        return Arrays.stream(model.params).map(p -> p.name + " " + p.value.shape()).toList().toString();
    }
}
