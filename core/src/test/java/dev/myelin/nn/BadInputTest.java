package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails with a message naming the argument and the value. */
class BadInputTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private static void fails(Class<? extends Throwable> type, Executable call, String... mentions) {
        Throwable e = assertThrows(type, call);
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "message '" + e.getMessage() + "' should mention '" + m + "'");
        }
    }

    @Test
    void unknownNames() {
        fails(IllegalArgumentException.class, () -> new Dense(3, "relux"), "activation", "relux");
        fails(IllegalArgumentException.class, () -> Loss.of("cross_entropy"), "loss", "cross_entropy");
        fails(IllegalArgumentException.class, () -> Optimizer.of("adamw2"), "optimizer", "adamw2");
        fails(IllegalArgumentException.class, () -> Metric.of("auc2"), "metrics", "auc2");
        fails(IllegalArgumentException.class, () -> Initializer.of("xavier"), "initializer", "xavier");
        fails(IllegalArgumentException.class, () -> Regularizer.of("l3"), "regularizer", "l3");
        try (Sequential model = Sequential.of(backend, new Dense(2))) {
            fails(IllegalArgumentException.class, () -> model.compile("adam", "msee"), "loss", "msee");
        }
    }

    @Test
    void invalidHyperparameters() {
        fails(IllegalArgumentException.class, () -> new Dropout(1f), "rate", "1.0");
        fails(IllegalArgumentException.class, () -> new Dropout(-0.1f), "rate", "-0.1");
        fails(IllegalArgumentException.class, () -> new Dense(0), "units", "0");
        fails(IllegalArgumentException.class, () -> new SGD(-0.01f), "learning_rate", "-0.01");
        fails(IllegalArgumentException.class, () -> new Adam().learningRate(Float.NaN), "learning_rate", "NaN");
        fails(IllegalArgumentException.class, () -> new RMSprop(0.001f, 1.2f, 0f, 1e-7f, false), "rho", "1.2");
        fails(IllegalArgumentException.class, () -> Loss.huber(-1f), "delta", "-1.0");
        fails(IllegalArgumentException.class, () -> Regularizer.ofL2(-0.5f), "l2", "-0.5");
        fails(IllegalArgumentException.class, () -> new FitOptions().batchSize(0), "batch_size", "0");
        fails(IllegalArgumentException.class, () -> new FitOptions().epochs(-1), "epochs", "-1");
        fails(IllegalArgumentException.class, () -> new FitOptions().validationSplit(1.0), "validation_split", "1.0");
        fails(IllegalArgumentException.class, () -> new FitOptions().verbose(3), "verbose", "3");
        fails(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", 0, -2, false), "patience", "-2");
        fails(IllegalArgumentException.class, () -> ActivationFunction.of(dev.myelin.spi.Activation.LEAKY_RELU, -1f),
                "alpha", "-1.0");
    }

    @Test
    void fitBeforeCompile() {
        try (Sequential model = Sequential.of(backend, new Dense(1))) {
            fails(IllegalStateException.class, () -> model.fit(FloatMatrix.zeros(4, 2), FloatMatrix.zeros(4, 1), 1),
                    "fit", "not compiled", "compile");
            fails(IllegalStateException.class, () -> model.evaluate(FloatMatrix.zeros(4, 2), FloatMatrix.zeros(4, 1)),
                    "evaluate", "not compiled");
        }
    }

    @Test
    void shapeMismatches() {
        try (Sequential model = Sequential.of(backend, new Dense(4, "relu"), new Dense(3, "softmax"))) {
            model.input(5).compile("adam", "categorical_crossentropy", "accuracy");
            fails(IllegalArgumentException.class, () -> model.fit(FloatMatrix.zeros(8, 6), FloatMatrix.zeros(8, 3), 1),
                    "'x'", "5 columns", "[8 x 6]");
            fails(IllegalArgumentException.class, () -> model.fit(FloatMatrix.zeros(8, 5), FloatMatrix.zeros(8, 2), 1),
                    "'y'", "3 columns", "[8 x 2]");
            fails(IllegalArgumentException.class, () -> model.fit(FloatMatrix.zeros(8, 5), FloatMatrix.zeros(7, 3), 1),
                    "same number of rows", "[8 x 5]", "[7 x 3]");
            fails(IllegalArgumentException.class, () -> model.predict(FloatMatrix.zeros(2, 4)), "'x'", "5 columns",
                    "[2 x 4]");
            fails(IllegalArgumentException.class, () -> model.fit(FloatMatrix.zeros(8, 5), FloatMatrix.zeros(8, 3),
                    new FitOptions().validationData(FloatMatrix.zeros(2, 5), FloatMatrix.zeros(2, 4)).verbose(0)),
                    "validation_data y", "3 columns", "[2 x 4]");
            fails(IllegalArgumentException.class, () -> model.fit(FloatMatrix.zeros(1, 5), FloatMatrix.zeros(1, 3),
                    new FitOptions().validationSplit(0.5).verbose(0)), "validation_split", "0.5", "0 of 1");
        }
        try (Sequential model = Sequential.of(backend, new Dense(3, "softmax"))) {
            model.input(2).compile("adam", "sparse_categorical_crossentropy");
            FloatMatrix labels = FloatMatrix.of(new float[][] {{0}, {3}});
            fails(IllegalArgumentException.class, () -> model.fit(FloatMatrix.zeros(2, 2), labels, 1),
                    "class indices", "[0, 3)", "3.0", "row 1");
            fails(IllegalArgumentException.class, () -> model.fit(FloatMatrix.zeros(2, 2), FloatMatrix.zeros(2, 3), 1),
                    "1 column", "[2 x 3]");
        }
    }

    @Test
    void structuralMistakes() {
        Dense shared = new Dense(2);
        try (Sequential model = Sequential.of(backend, shared)) {
            fails(IllegalArgumentException.class, () -> model.add(shared), "already in the model");
            model.input(3).compile("sgd", "mse");
            fails(IllegalStateException.class, () -> model.add(new Dense(1)), "already built");
            fails(IllegalArgumentException.class, () -> model.input(-1), "features", "-1");
        }
        try (Sequential other = new Sequential(backend)) {
            fails(IllegalArgumentException.class, () -> other.add(shared), "dense", "another model");
        }
        try (Sequential empty = new Sequential(backend)) {
            fails(IllegalStateException.class, () -> empty.compile("sgd", "mse"), "no layers");
        }
        Sequential closed = Sequential.of(backend, new Dense(1));
        closed.close();
        fails(IllegalStateException.class, () -> closed.predict(FloatMatrix.zeros(1, 1)), "closed");
        assertEquals(0, backend.liveTensors());
    }

    @Test
    void popRemovesTheLastLayerBeforeBuild() {
        Dense first = new Dense(4, "relu");
        Dense last = new Dense(3, "softmax");
        try (Sequential model = Sequential.of(backend, first, last)) {
            assertEquals(last, model.pop());
            assertEquals(java.util.List.of(first), model.layers());
            model.add(new Dense(2)).input(5).build(5);
            assertEquals(2, model.outputSize());
            fails(IllegalStateException.class, model::pop, "already built");
        }
        try (Sequential empty = new Sequential(backend)) {
            fails(IllegalStateException.class, empty::pop, "no layers");
        }
    }
}
