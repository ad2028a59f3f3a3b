package dev.myelin.nn;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Scope;
import dev.myelin.spi.Tensor;
import java.util.Objects;

/**
 * A {@link Loss} outside {@code fit}, and a user's loss inside it.
 *
 * <p>{@link Loss#call} runs the same kernels as training, on the JVM's backend ({@link Backends#get()}):
 * the batch loss is the mean of the per-sample losses (Keras's {@code sum_over_batch_size}); a sample's
 * loss is the sum over the last axis, or the mean where Keras takes the mean.
 *
 * <p>A user's subclass implements {@link Loss#sampleLoss(float[], float[], float[])}: per row, the value
 * and its gradient with respect to the prediction. In training each step downloads the batch's predictions
 * and targets, calls it for every row on the host and uploads the row values and gradients divided by the
 * batch size: a round trip per step that built-in losses avoid, and the price of a loss written in Java.
 */
final class CustomLosses {

    private CustomLosses() {
    }

    static double call(Loss loss, FloatMatrix yTrue, FloatMatrix yPred) {
        float[] samples = perSample(loss, yTrue, yPred);
        double sum = 0;
        for (float v : samples) {
            sum += v;
        }
        return sum / samples.length;
    }

    static float[] perSample(Loss loss, FloatMatrix yTrue, FloatMatrix yPred) {
        return perSample(Backends.get(), loss, yTrue, yPred);
    }

    /** The per-sample losses computed on {@code b}. */
    static float[] perSample(Backend b, Loss loss, FloatMatrix yTrue, FloatMatrix yPred) {
        Objects.requireNonNull(yTrue, "call: argument 'y_true' is null");
        Objects.requireNonNull(yPred, "call: argument 'y_pred' is null");
        if (yTrue.rows() != yPred.rows()) {
            throw new IllegalArgumentException("call: arguments 'y_true' and 'y_pred' must have the same number of"
                    + " rows, got [" + yTrue.rows() + " x " + yTrue.cols() + "] and [" + yPred.rows() + " x "
                    + yPred.cols() + "]");
        }
        int n = yPred.rows();
        int k = yPred.cols();
        float[] targets = oneHotIfSparse(loss, loss.prepareTargets("y_true", yTrue, k), k);
        try (Scope scope = b.scope()) {
            Tensor out = b.tensor(n, k, yPred.data());
            Tensor target = b.tensor(n, k, targets);
            Tensor lossOut = b.tensor(n, k);
            LossComputation.apply(loss, b, false, out, target, b.tensor(n, k), lossOut, b.tensor(n, k),
                    b.tensor(n, k));
            Tensor rows = b.tensor(n, 1);
            b.reduce(Reduction.SUM, Axis.PER_ROW, lossOut, rows);
            float[] samples = rows.toArray();
            // The kernels scale by 1 / batch for the batch mean; a sample's loss is n times its share.
            for (int i = 0; i < n; i++) {
                samples[i] *= n;
            }
            return samples;
        }
    }

    private static float[] oneHotIfSparse(Loss loss, FloatMatrix y, int classes) {
        if (!loss.isSparse()) {
            return y.data();
        }
        float[] out = new float[y.rows() * classes];
        for (int r = 0; r < y.rows(); r++) {
            out[r * classes + (int) y.data()[r]] = 1f;
        }
        return out;
    }

    /** A user's loss in a training step: row values into column 0 of {@code loss}, gradients into {@code grad}. */
    static void onHost(Loss loss, Tensor out, Tensor target, Tensor lossOut, Tensor grad) {
        int n = out.rows();
        int k = out.cols();
        float[] p = out.toArray();
        float[] t = target.toArray();
        float[] values = new float[n * k];
        float[] gradients = new float[n * k];
        float[] pr = new float[k];
        float[] tr = new float[k];
        float[] gr = new float[k];
        for (int r = 0; r < n; r++) {
            System.arraycopy(p, r * k, pr, 0, k);
            System.arraycopy(t, r * k, tr, 0, k);
            java.util.Arrays.fill(gr, 0f);
            float v = loss.sampleLoss(tr, pr, gr);
            values[r * k] = v / n;
            for (int j = 0; j < k; j++) {
                gradients[r * k + j] = gr[j] / n;
            }
        }
        lossOut.copyFrom(values);
        grad.copyFrom(gradients);
    }
}
