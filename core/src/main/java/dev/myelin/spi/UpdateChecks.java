package dev.myelin.spi;

import static dev.myelin.spi.Backend.distinct;
import static dev.myelin.spi.Backend.shape;

import java.util.Objects;

/**
 * The argument checks of {@link Backend#optimizerUpdate}: coefficients and slots for the rule, the
 * regularization, clipping and decay factors, and tensors that are distinct and shaped like the parameter.
 * They run under the backend's dispatch lock and throw before the kernel starts.
 */
final class UpdateChecks {

    private UpdateChecks() {
    }

    /** {@link Backend#optimizerUpdate}: everything its Javadoc requires. */
    static void optimizerUpdate(Backend backend, UpdateRule rule, float[] c, float l1, float l2, GradientClip clip,
            float clipAt, Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor[] slots) {
        String op = "optimizerUpdate";
        Objects.requireNonNull(rule, "optimizerUpdate: argument 'rule' is null");
        Objects.requireNonNull(c, "optimizerUpdate: argument 'c' is null");
        Objects.requireNonNull(clip, "optimizerUpdate: argument 'clip' is null");
        Objects.requireNonNull(slots, "optimizerUpdate: argument 'slots' is null");
        if (c.length != rule.coefficients()) {
            throw new IllegalArgumentException(op + ": " + rule + " needs " + rule.coefficients()
                    + " coefficients, got " + c.length);
        }
        if (slots.length != rule.slots()) {
            throw new IllegalArgumentException(op + ": " + rule + " needs " + rule.slots() + " slot tensors, got "
                    + slots.length);
        }
        if (!(l1 >= 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException(op + ": regularization factors must be >= 0, got l1=" + l1 + ", l2=" + l2);
        }
        if (clip != GradientClip.NONE && !(clipAt > 0 && Float.isFinite(clipAt))) {
            throw new IllegalArgumentException(op + ": " + clip + " needs a finite threshold 'clipAt' > 0, got "
                    + clipAt);
        }
        if (!(decay >= 0 && Float.isFinite(decay))) {
            throw new IllegalArgumentException(op + ": argument 'decay' must be finite and >= 0, got " + decay);
        }
        if (clip.needsSumSquares()) {
            backend.own(op, "sumSquares", sumSquares);
            shape(op, "sumSquares", sumSquares, 1, 1);
        }
        backend.own(op, "w", w);
        backend.own(op, "g", g);
        shape(op, "g", g, w.shape());
        distinct(op, "g", g, "w", w);
        for (int i = 0; i < slots.length; i++) {
            String arg = "slots[" + i + "]";
            backend.own(op, arg, slots[i]);
            shape(op, arg, slots[i], w.shape());
            distinct(op, arg, slots[i], "w", w);
            distinct(op, arg, slots[i], "g", g);
            for (int j = 0; j < i; j++) {
                distinct(op, arg, slots[i], "slots[" + j + "]", slots[j]);
            }
        }
    }
}
