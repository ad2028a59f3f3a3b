package dev.myelin.nn;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Backend;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.Tensor;

/**
 * Runs a {@link Loss} on the backend: the per-element loss (its row sums are the per-sample losses, scaled
 * to the batch mean) and its gradient with respect to the model's output. One place for the choice of
 * kernel: the fused softmax/sigmoid cross-entropy, the exact logits forms, the row losses (categorical
 * cross-entropy on probabilities, renormalised as Keras does; categorical hinge; cosine similarity), the
 * element losses, and a user's loss on the host.
 */
final class LossComputation {

    private LossComputation() {
    }

    /**
     * Writes {@code loss} and {@code grad} for the model output {@code out} and {@code target}; returns the
     * tensor the metrics see (the probabilities of a fused loss, else {@code out}). {@code scratch} (shaped
     * like {@code out}) holds smoothed labels; {@code probs} the probabilities of a fused or logits loss.
     */
    static Tensor apply(Loss loss, Backend b, boolean fused, Tensor out, Tensor target, Tensor probs, Tensor lossOut,
            Tensor grad, Tensor scratch) {
        if (loss.kind() == Loss.Kind.CUSTOM) {
            CustomLosses.onHost(loss, out, target, lossOut, grad);
            return out;
        }
        float scale = loss.scale(out.rows(), out.cols());
        Tensor t = smoothed(loss, b, target, scratch);
        LogitsLoss logits = loss.logitsKind();
        if (fused) {
            b.crossEntropyWithLogits(logits, true, scale, out, t, probs, lossOut, grad);
            return probs;
        }
        if (logits != null && loss.fromLogits()) {
            b.crossEntropyWithLogits(logits, false, scale, out, t, probs, lossOut, grad);
            return out;
        }
        RowLoss row = loss.rowKind();
        if (row != null) {
            b.rowLoss(row, scale, out, t, lossOut, grad);
            return out;
        }
        ElementLoss kind = loss.elementKind();
        if (loss.kind() == Loss.Kind.BINARY_FOCAL_CROSSENTROPY && loss.fromLogits()) {
            // Keras: sigmoid first, then the focal loss of the probabilities; the chain rule through the sigmoid.
            b.activation(Activation.SIGMOID, 0f, out, probs);
            b.elementLoss(kind, loss.gamma(), loss.alpha(), scale, probs, t, lossOut, grad);
            b.activationBackward(Activation.SIGMOID, 0f, probs, grad, grad);
            return out;
        }
        b.elementLoss(kind, loss.delta(), loss.alpha(), scale, out, t, lossOut, grad);
        return out;
    }

    /**
     * Keras's label smoothing into {@code scratch}: {@code t (1 - s) + s / classes} for categorical
     * cross-entropy, {@code t (1 - s) + s / 2} for the binary ones; the targets themselves when none.
     */
    private static Tensor smoothed(Loss loss, Backend b, Tensor target, Tensor scratch) {
        float s = loss.labelSmoothing();
        if (s == 0f) {
            return target;
        }
        float offset = loss.isCategorical() ? s / target.cols() : s / 2f;
        b.fill(scratch, offset);
        b.axpby(1f - s, target, 1f, scratch);
        return scratch;
    }
}
