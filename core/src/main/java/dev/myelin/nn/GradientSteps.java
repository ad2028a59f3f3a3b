package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * The training calls that work on one batch without the fit loop: {@code trainOnBatch}, and the
 * gradient API built from the same steps.
 */
final class GradientSteps {

    private final Model model;

    GradientSteps(Model model) {
        this.model = model;
    }

    /** @param sampleWeight a weight per row of {@code x}, or null */
    double trainOnBatch(FloatMatrix x, FloatMatrix y, float[] sampleWeight) {
        model.requireCompiled("trainOnBatch");
        model.guard.enter("trainOnBatch");
        try {
            InputChecks.checkData(model, "trainOnBatch", "x", "y", x, y);
            if (sampleWeight != null) {
                SampleWeights.check("trainOnBatch", "sample_weight", sampleWeight, x.rows());
            }
            FloatMatrix targets = model.loss.prepareTargets("y", y, model.outputs);
            StepRunner steps = model.steps;
            steps.resetAccumulators();
            BatchPlan p = model.plans.acquire(x.rows());
            try {
                p.stage(x, targets, sampleWeight, null, 0, false, model.loss);
                steps.trainStep(p);
            } finally {
                model.plans.release(p);
            }
            return steps.readScalar(steps.stepLoss);
        } finally {
            model.guard.exit();
        }
    }

    /** Forward and backward on one batch with the random key {@code (step, firstRow)}; weights unchanged. */
    Gradients compute(FloatMatrix x, FloatMatrix y, long step, long firstRow) {
        model.requireCompiled("computeGradients");
        if (firstRow < 0) {
            throw new IllegalArgumentException("computeGradients: argument 'firstRow' must be >= 0, got " + firstRow);
        }
        model.guard.enter("computeGradients");
        try {
            InputChecks.checkData(model, "computeGradients", "x", "y", x, y);
            if (x.rows() == 0) {
                throw new IllegalArgumentException("computeGradients: argument 'x' has no samples, got [0 x "
                        + x.cols() + "]");
            }
            FloatMatrix targets = model.loss.prepareTargets("y", y, model.outputs);
            StepRunner steps = model.steps;
            BatchPlan p = model.plans.acquire(x.rows());
            try {
                p.stage(x, targets, null, 0, false, model.loss);
                steps.forwardLoss(p, step, firstRow);
                steps.backward(p);
            } finally {
                model.plans.release(p);
            }
            LinkedHashMap<String, FloatMatrix> grads = new LinkedHashMap<>();
            for (Parameter param : model.trainable) {
                grads.put(param.name, new FloatMatrix(param.gradient.rows(), param.gradient.cols(),
                        param.gradient.toArray()));
            }
            return new Gradients(grads, steps.readScalar(steps.stepLoss), x.rows());
        } finally {
            model.guard.exit();
        }
    }

    /** One optimizer step with {@code g}, checked in full before anything changes. */
    void apply(Gradients g) {
        Objects.requireNonNull(g, "applyGradients: argument 'gradients' is null");
        model.requireCompiled("applyGradients");
        if (!model.built) {
            throw new IllegalStateException("applyGradients: the model is not built; it has no weights yet");
        }
        NamedArrays a = g.arrays();
        Parameter[] trainable = model.trainable;
        a.checkNames(names(trainable), "applyGradients", "gradients");
        int[] index = new int[trainable.length];
        for (int i = 0; i < trainable.length; i++) {
            index[i] = a.index(trainable[i].name);
            checkShape("applyGradients", trainable[i], a.rows[index[i]], a.cols[index[i]]);
        }
        model.guard.enter("applyGradients");
        try {
            for (int i = 0; i < trainable.length; i++) {
                trainable[i].gradient.copyFrom(a.values[index[i]]);
            }
            model.steps.applyUpdate();
        } finally {
            model.guard.exit();
        }
    }

    OptimizerState optimizerState() {
        model.requireCompiled("optimizerState");
        model.guard.enterShared("optimizerState");
        try {
            String[] slotNames = model.optimizer.slotNames();
            LinkedHashMap<String, FloatMatrix> slots = new LinkedHashMap<>();
            for (Parameter p : model.trainable) {
                for (int s = 0; s < slotNames.length; s++) {
                    slots.put(p.name + "/" + slotNames[s], new FloatMatrix(p.value.rows(), p.value.cols(),
                            p.slots[s].toArray()));
                }
            }
            return new OptimizerState(model.optimizer.name(), model.iterations, model.optimizer.learningRate(), slots);
        } finally {
            model.guard.exitShared();
        }
    }

    void setOptimizerState(OptimizerState state) {
        Objects.requireNonNull(state, "setOptimizerState: argument 'state' is null");
        model.requireCompiled("setOptimizerState");
        if (!model.built) {
            throw new IllegalStateException("setOptimizerState: the model is not built; it has no optimizer slots yet");
        }
        Optimizer optimizer = model.optimizer;
        if (!state.optimizer().equals(optimizer.name())) {
            throw new IllegalArgumentException("setOptimizerState: the state is of optimizer '" + state.optimizer()
                    + "', the model is compiled with '" + optimizer.name() + "'");
        }
        String[] slotNames = optimizer.slotNames();
        List<String> expected = new ArrayList<>();
        for (Parameter p : model.trainable) {
            for (String s : slotNames) {
                expected.add(p.name + "/" + s);
            }
        }
        NamedArrays a = state.arrays();
        a.checkNames(expected, "setOptimizerState", "state");
        for (Parameter p : model.trainable) {
            for (String s : slotNames) {
                int i = a.index(p.name + "/" + s);
                checkShape("setOptimizerState", p, a.rows[i], a.cols[i]);
            }
        }
        // A callback of fit (BackupAndRestore) restores from the training thread, which holds the model.
        boolean nested = model.guard.isTrainingThread();
        if (!nested) {
            model.guard.enter("setOptimizerState");
        }
        try {
            if (optimizer.schedule() == null) {
                // A scheduled rate follows the iteration count; setting a fixed one would drop the schedule.
                optimizer.learningRate(state.learningRate());
            }
            for (Parameter p : model.trainable) {
                for (int s = 0; s < slotNames.length; s++) {
                    p.slots[s].copyFrom(a.values[a.index(p.name + "/" + slotNames[s])]);
                }
            }
            model.iterations = state.iterations();
            // Step-dependent host state (Nadam's momentum product) is recomputed from the iteration count.
            optimizer.reset();
        } finally {
            if (!nested) {
                model.guard.exit();
            }
        }
    }

    private static List<String> names(Parameter[] params) {
        List<String> names = new ArrayList<>();
        for (Parameter p : params) {
            names.add(p.name);
        }
        return names;
    }

    private static void checkShape(String op, Parameter p, int rows, int cols) {
        if (rows != p.value.rows() || cols != p.value.cols()) {
            throw new IllegalArgumentException(op + ": '" + p.name + "' must be [" + p.value.rows() + " x "
                    + p.value.cols() + "], got [" + rows + " x " + cols + "]");
        }
    }
}
