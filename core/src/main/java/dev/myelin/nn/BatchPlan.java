package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The device buffers and host staging arrays of one batch size: the batch, its targets, the loss and its
 * gradient, the metrics' scratch, and every layer's {@link Layer.Frame}. One call (a training step, an
 * evaluate or predict batch) uses a plan exclusively; {@link PlanPool} hands them out.
 */
final class BatchPlan {

    final int batch;
    final Layer.Frame[] frames;
    final Layer.Pass pass = new Layer.Pass();
    final Tensor x;
    final Tensor target;
    final Tensor probs;
    final Tensor loss;
    final Tensor grad;
    final Tensor tmpA;
    final Tensor tmpB;
    final Tensor colA;
    final Tensor colB;
    private final float[] xStage;
    private final float[] yStage;
    private final int inputs;
    private final int outputs;

    BatchPlan(Backend backend, List<Layer> layers, int batch, int inputs, int outputs) {
        this.batch = batch;
        this.inputs = inputs;
        this.outputs = outputs;
        frames = new Layer.Frame[layers.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = layers.get(i).frame(batch);
        }
        x = backend.tensor(batch, inputs);
        target = backend.tensor(batch, outputs);
        probs = backend.tensor(batch, outputs);
        loss = backend.tensor(batch, outputs);
        grad = backend.tensor(batch, outputs);
        tmpA = backend.tensor(batch, outputs);
        tmpB = backend.tensor(batch, outputs);
        colA = backend.tensor(batch, 1);
        colB = backend.tensor(batch, 1);
        xStage = new float[batch * inputs];
        yStage = new float[batch * outputs];
    }

    /** Gathers rows {@code order[start..start+batch)} (or start.. in order) into staging and uploads them. */
    void stage(FloatMatrix xs, FloatMatrix ys, int[] order, int start, boolean shuffled, Loss lossFn) {
        if (shuffled) {
            float[] src = xs.data();
            for (int r = 0; r < batch; r++) {
                System.arraycopy(src, order[start + r] * inputs, xStage, r * inputs, inputs);
            }
            x.copyFrom(xStage);
        } else {
            x.copyFrom(xs.data(), start * inputs);
        }
        float[] ysrc = ys.data();
        if (lossFn.isSparse()) {
            Arrays.fill(yStage, 0f);
            for (int r = 0; r < batch; r++) {
                int row = shuffled ? order[start + r] : start + r;
                yStage[r * outputs + (int) ysrc[row]] = 1f;
            }
            target.copyFrom(yStage);
        } else if (shuffled) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(ysrc, order[start + r] * outputs, yStage, r * outputs, outputs);
            }
            target.copyFrom(yStage);
        } else {
            target.copyFrom(ysrc, start * outputs);
        }
    }

    void release() {
        for (Layer.Frame f : frames) {
            f.release();
        }
        Layer.close(x, target, probs, loss, grad, tmpA, tmpB, colA, colB);
    }
}
