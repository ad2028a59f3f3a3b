package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.util.LinkedHashMap;

/**
 * The training calls that work on one batch without the fit loop: {@code trainOnBatch}, and the
 * gradient API built from the same steps.
 */
final class GradientSteps {

    private final Model model;

    GradientSteps(Model model) {
        this.model = model;
    }

    double trainOnBatch(FloatMatrix x, FloatMatrix y) {
        model.requireCompiled("trainOnBatch");
        model.guard.enter("trainOnBatch");
        try {
            InputChecks.checkData(model, "trainOnBatch", "x", "y", x, y);
            FloatMatrix targets = model.loss.prepareTargets("y", y, model.outputs);
            StepRunner steps = model.steps;
            steps.resetAccumulators();
            BatchPlan p = model.plans.acquire(x.rows());
            try {
                p.stage(x, targets, null, 0, false, model.loss);
                steps.trainStep(p);
            } finally {
                model.plans.release(p);
            }
            return steps.readScalar(steps.stepLoss);
        } finally {
            model.guard.exit();
        }
    }

    /** The gradients of every trainable weight on one batch, copied to the host. */
    LinkedHashMap<String, FloatMatrix> gradients(FloatMatrix x, FloatMatrix y, long step, long firstRow) {
        model.requireCompiled("computeGradients");
        model.guard.enter("computeGradients");
        try {
            InputChecks.checkData(model, "computeGradients", "x", "y", x, y);
            FloatMatrix targets = model.loss.prepareTargets("y", y, model.outputs);
            BatchPlan p = model.plans.acquire(x.rows());
            try {
                p.stage(x, targets, null, 0, false, model.loss);
                model.steps.forwardLoss(p, step, firstRow);
                model.steps.backward(p);
            } finally {
                model.plans.release(p);
            }
            LinkedHashMap<String, FloatMatrix> grads = new LinkedHashMap<>();
            for (Parameter param : model.trainable) {
                grads.put(param.name, new FloatMatrix(param.gradient.rows(), param.gradient.cols(),
                        param.gradient.toArray()));
            }
            return grads;
        } finally {
            model.guard.exit();
        }
    }
}
