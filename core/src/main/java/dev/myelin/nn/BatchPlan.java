package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The device buffers and host staging arrays of one batch size: the batch, its targets and sample weights,
 * the loss and its gradient, the metrics' scratch, and every layer's {@link Layer.Frame}. One call (a
 * training step, an evaluate or predict batch) uses a plan exclusively; {@link PlanPool} hands them out.
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
    /** The batch's sample weights, one per row; read only when {@link #weighted}. */
    final Tensor weights;
    /** Whether the staged batch carries sample weights (else every sample weighs 1 and none are applied). */
    boolean weighted;
    private final float[] xStage;
    private final float[] wStage;
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
        weights = backend.tensor(batch, 1);
        xStage = new float[batch * inputs];
        yStage = new float[batch * outputs];
        wStage = new float[batch];
    }

    /**
     * Gathers rows {@code order[start..start+batch)} (or start.. in order) of the data and of the sample
     * weights {@code ws} (null: unweighted) into staging and uploads them.
     */
    void stage(FloatMatrix xs, FloatMatrix ys, float[] ws, int[] order, int start, boolean shuffled, Loss lossFn) {
        stage(xs, ys, order, start, shuffled, lossFn);
        weighted = ws != null;
        if (weighted) {
            for (int r = 0; r < batch; r++) {
                wStage[r] = ws[shuffled ? order[start + r] : start + r];
            }
            weights.copyFrom(wStage);
        }
    }

    /**
     * Uploads a batch read from a stream: the first {@code batch} rows of {@code xs} (features), {@code ys}
     * (prepared targets, {@code targetCols} a row) and {@code ws} (sample weights; null: unweighted).
     */
    void stageRows(float[] xs, float[] ys, int targetCols, float[] ws, Loss lossFn) {
        x.copyFrom(xs, 0);
        if (lossFn.isSparse()) {
            Arrays.fill(yStage, 0f);
            for (int r = 0; r < batch; r++) {
                yStage[r * outputs + (int) ys[r * targetCols]] = 1f;
            }
            target.copyFrom(yStage);
        } else {
            target.copyFrom(ys, 0);
        }
        weighted = ws != null;
        if (weighted) {
            weights.copyFrom(ws, 0);
        }
    }

    /** Gathers rows {@code order[start..start+batch)} (or start.. in order) into staging and uploads them. */
    void stage(FloatMatrix xs, FloatMatrix ys, int[] order, int start, boolean shuffled, Loss lossFn) {
        weighted = false;
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
        Layer.close(x, target, probs, loss, grad, tmpA, tmpB, colA, colB, weights);
    }
}
