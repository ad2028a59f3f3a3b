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
        float scale = scale(loss, out.rows(), out.cols());
        Tensor t = smoothed(loss, b, target, scratch);
        LogitsLoss logits = logitsKind(loss);
        if (fused) {
            b.crossEntropyWithLogits(logits, true, scale, out, t, probs, lossOut, grad);
            return probs;
        }
        if (logits != null && loss.fromLogits()) {
            b.crossEntropyWithLogits(logits, false, scale, out, t, probs, lossOut, grad);
            return out;
        }
        RowLoss row = rowKind(loss);
        if (row != null) {
            b.rowLoss(row, scale, out, t, lossOut, grad);
            return out;
        }
        ElementLoss kind = elementKind(loss);
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

    /** True for the losses Keras sums over the last axis (the others it averages). */
    static boolean sumsOverLastAxis(Loss loss) {
        Loss.Kind kind = loss.kind();
        return loss.isCategorical() || kind == Loss.Kind.KL_DIVERGENCE || kind == Loss.Kind.CATEGORICAL_HINGE
                || kind == Loss.Kind.COSINE_SIMILARITY || kind == Loss.Kind.CUSTOM;
    }

    /** The row kernel for the losses that couple a row's elements, or null. */
    static RowLoss rowKind(Loss loss) {
        return switch (loss.kind()) {
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> RowLoss.CATEGORICAL_CROSSENTROPY;
            case CATEGORICAL_HINGE -> RowLoss.CATEGORICAL_HINGE;
            case COSINE_SIMILARITY -> RowLoss.COSINE_SIMILARITY;
            default -> null;
        };
    }

    /** The fused kernel for a cross-entropy, or null for the element-wise losses. */
    static LogitsLoss logitsKind(Loss loss) {
        return switch (loss.kind()) {
            case BINARY_CROSSENTROPY -> LogitsLoss.SIGMOID;
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> LogitsLoss.SOFTMAX;
            default -> null;
        };
    }

    /** True when the model's output activation and {@code loss} fuse into one kernel on the logits. */
    static boolean fusesWith(Loss loss, ActivationFunction outputActivation) {
        if (loss.fromLogits() || outputActivation == null) {
            return false;
        }
        return (loss.isCategorical() && outputActivation.isSoftmax())
                || (loss.kind() == Loss.Kind.BINARY_CROSSENTROPY && outputActivation.isSigmoid());
    }

    /** The element-wise kernel for {@code loss} (used when it does not fuse with the output activation). */
    static ElementLoss elementKind(Loss loss) {
        return switch (loss.kind()) {
            case BINARY_CROSSENTROPY -> ElementLoss.BINARY_CROSSENTROPY;
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> ElementLoss.CATEGORICAL_CROSSENTROPY;
            case MEAN_SQUARED_ERROR -> ElementLoss.MSE;
            case MEAN_ABSOLUTE_ERROR -> ElementLoss.MAE;
            case MEAN_ABSOLUTE_PERCENTAGE_ERROR -> ElementLoss.MAPE;
            case MEAN_SQUARED_LOGARITHMIC_ERROR -> ElementLoss.MSLE;
            case HINGE -> ElementLoss.HINGE;
            case SQUARED_HINGE -> ElementLoss.SQUARED_HINGE;
            case HUBER -> ElementLoss.HUBER;
            case LOG_COSH -> ElementLoss.LOG_COSH;
            case POISSON -> ElementLoss.POISSON;
            case KL_DIVERGENCE -> ElementLoss.KL_DIVERGENCE;
            case BINARY_FOCAL_CROSSENTROPY -> loss.classBalancing() ? ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED
                    : ElementLoss.BINARY_FOCAL_CROSSENTROPY;
            case CATEGORICAL_HINGE, COSINE_SIMILARITY, CUSTOM -> null;
        };
    }

    /** The factor that turns a sum of per-element losses of a {@code [batch x outputs]} batch into the Keras mean. */
    static float scale(Loss loss, int batch, int outputs) {
        return sumsOverLastAxis(loss) ? 1f / batch : 1f / ((float) batch * outputs);
    }

}
