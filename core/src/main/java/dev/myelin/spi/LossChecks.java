package dev.myelin.spi;

import static dev.myelin.spi.Backend.distinct;
import static dev.myelin.spi.Backend.shape;

import java.util.Objects;

/**
 * The argument checks of the losses: {@link Backend#elementLoss}'s parameters, and the tensors of
 * {@link Backend#elementLoss}, {@link Backend#rowLoss} and {@link Backend#crossEntropyWithLogits}, whose outputs
 * must not overlap anything. Each runs under the backend's dispatch lock and throws before the kernel starts.
 */
final class LossChecks {

    private LossChecks() {
    }

    /** {@link Backend#elementLoss}: the parameters the kind needs, then the loss tensors. */
    static void elementLoss(Backend backend, ElementLoss kind, float param, float param2, Tensor pred, Tensor target,
            Tensor loss, Tensor grad) {
        String op = "elementLoss";
        Objects.requireNonNull(kind, "elementLoss: argument 'kind' is null");
        if (kind == ElementLoss.HUBER && !(param > 0)) {
            throw new IllegalArgumentException(op + ": HUBER needs delta (param) > 0, got " + param);
        }
        if ((kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY || kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED)
                && !(param >= 0 && Float.isFinite(param))) {
            throw new IllegalArgumentException(op + ": " + kind + " needs a finite gamma (param) >= 0, got " + param);
        }
        if (kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED && !(param2 >= 0 && param2 <= 1)) {
            throw new IllegalArgumentException(op + ": " + kind + " needs alpha (param2) in [0, 1], got " + param2);
        }
        checkLossTensors(backend, op, "pred", pred, target, loss, grad);
    }

    /** {@link Backend#rowLoss}: the kind and the loss tensors. */
    static void rowLoss(Backend backend, RowLoss kind, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        String op = "rowLoss";
        Objects.requireNonNull(kind, "rowLoss: argument 'kind' is null");
        // Kernels read a row several times (sums, then the outputs): no output may overlap an input.
        checkLossTensors(backend, op, "pred", pred, target, loss, grad);
    }

    /** {@link Backend#crossEntropyWithLogits}: one shape, every output distinct from every other tensor. */
    static void crossEntropyWithLogits(Backend backend, LogitsLoss kind, Tensor logits, Tensor target, Tensor probs,
            Tensor loss, Tensor grad) {
        String op = "crossEntropyWithLogits";
        Objects.requireNonNull(kind, "crossEntropyWithLogits: argument 'kind' is null");
        // Every output differs from every input and from the other outputs: kernels read a row
        // several times (max, sum, then the outputs), so any overlap would change the result.
        checkLossTensors(backend, op, "logits", logits, target, loss, grad);
        backend.own(op, "probs", probs);
        shape(op, "probs", probs, logits.shape());
        distinctFromInputs(op, "probs", probs, "logits", logits, target);
        distinct(op, "probs", probs, "loss", loss);
        distinct(op, "probs", probs, "grad", grad);
    }

    /**
     * The checks of a loss's tensors: one backend, one shape, outputs distinct from each other and the inputs.
     * {@code predArg} names the prediction ({@code pred}, or {@code logits} for the fused losses).
     */
    private static void checkLossTensors(Backend backend, String op, String predArg, Tensor pred, Tensor target,
            Tensor loss, Tensor grad) {
        backend.own(op, predArg, pred);
        backend.own(op, "target", target);
        backend.own(op, "loss", loss);
        backend.own(op, "grad", grad);
        shape(op, "target", target, pred.shape());
        shape(op, "loss", loss, pred.shape());
        shape(op, "grad", grad, pred.shape());
        distinct(op, "loss", loss, "grad", grad);
        distinctFromInputs(op, "loss", loss, predArg, pred, target);
        distinctFromInputs(op, "grad", grad, predArg, pred, target);
    }

    private static void distinctFromInputs(String op, String arg, Tensor out, String predArg, Tensor pred,
            Tensor target) {
        distinct(op, arg, out, predArg, pred);
        distinct(op, arg, out, "target", target);
    }
}
