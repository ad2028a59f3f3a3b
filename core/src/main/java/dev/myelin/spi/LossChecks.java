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
        checkLossTensors(backend, op, pred, target, loss, grad);
    }

    /** {@link Backend#rowLoss}: the kind and the loss tensors. */
    static void rowLoss(Backend backend, RowLoss kind, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        String op = "rowLoss";
        Objects.requireNonNull(kind, "rowLoss: argument 'kind' is null");
        // Kernels read a row several times (sums, then the outputs): no output may overlap an input.
        checkLossTensors(backend, op, pred, target, loss, grad);
    }

    /** {@link Backend#crossEntropyWithLogits}: one shape, every output distinct from every other tensor. */
    static void crossEntropyWithLogits(Backend backend, LogitsLoss kind, Tensor logits, Tensor target, Tensor probs,
            Tensor loss, Tensor grad) {
        String op = "crossEntropyWithLogits";
        Objects.requireNonNull(kind, "crossEntropyWithLogits: argument 'kind' is null");
        backend.own(op, "logits", logits);
        backend.own(op, "target", target);
        backend.own(op, "probs", probs);
        backend.own(op, "loss", loss);
        backend.own(op, "grad", grad);
        shape(op, "target", target, logits.shape());
        shape(op, "probs", probs, logits.shape());
        shape(op, "loss", loss, logits.shape());
        shape(op, "grad", grad, logits.shape());
        // Every output differs from every input and from the other outputs: kernels read a row
        // several times (max, sum, then the outputs), so any overlap would change the result.
        distinct(op, "probs", probs, "logits", logits);
        distinct(op, "probs", probs, "target", target);
        distinct(op, "loss", loss, "logits", logits);
        distinct(op, "loss", loss, "target", target);
        distinct(op, "grad", grad, "logits", logits);
        distinct(op, "grad", grad, "target", target);
        distinct(op, "probs", probs, "loss", loss);
        distinct(op, "probs", probs, "grad", grad);
        distinct(op, "loss", loss, "grad", grad);
    }

    /** The checks of a loss's tensors: one backend, one shape, outputs distinct from each other and the inputs. */
    private static void checkLossTensors(Backend backend, String op, Tensor pred, Tensor target, Tensor loss,
            Tensor grad) {
        backend.own(op, "pred", pred);
        backend.own(op, "target", target);
        backend.own(op, "loss", loss);
        backend.own(op, "grad", grad);
        shape(op, "target", target, pred.shape());
        shape(op, "loss", loss, pred.shape());
        shape(op, "grad", grad, pred.shape());
        distinct(op, "loss", loss, "grad", grad);
        for (Tensor out : new Tensor[] {loss, grad}) {
            distinct(op, out == loss ? "loss" : "grad", out, "pred", pred);
            distinct(op, out == loss ? "loss" : "grad", out, "target", target);
        }
    }
}
