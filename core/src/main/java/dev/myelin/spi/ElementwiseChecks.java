package dev.myelin.spi;

import static dev.myelin.spi.Backend.shape;

import java.util.Objects;

/**
 * The argument checks of the element-wise and row-wise operations: activations (forward and backward),
 * softmax, log-softmax, axpby, random fill and dropout. Each runs under the backend's dispatch lock and throws
 * before the kernel starts.
 */
final class ElementwiseChecks {

    private ElementwiseChecks() {
    }

    /** {@link Backend#activation}: the activation, its alpha, {@code y} shaped like {@code x}. */
    static void activation(Backend backend, Activation f, float alpha, Tensor x, Tensor y) {
        String op = "activation";
        Objects.requireNonNull(f, "activation: argument 'f' is null");
        checkAlpha(op, f, alpha);
        shapedLike(backend, op, x, y);
    }

    /** {@link Backend#activationBackward}: an activation derivable from its output, the shapes. */
    static void activationBackward(Backend backend, Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        Objects.requireNonNull(f, "activationBackward: argument 'f' is null");
        if (!f.derivableFromOutput()) {
            throw new IllegalArgumentException(op + ": " + f.kerasName() + "'s derivative is not a function of its"
                    + " output y; use activationBackwardFromInput with the input x");
        }
        checkAlpha(op, f, alpha);
        backwardTensors(backend, op, "y", y, dy, dx);
    }

    /** {@link Backend#activationBackwardFromInput}: the activation, its alpha, the shapes. */
    static void activationBackwardFromInput(Backend backend, Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        String op = "activationBackwardFromInput";
        Objects.requireNonNull(f, "activationBackwardFromInput: argument 'f' is null");
        checkAlpha(op, f, alpha);
        backwardTensors(backend, op, "x", x, dy, dx);
    }

    /** Both tensors of this backend, {@code y} shaped like {@code x} (softmax, log-softmax, axpby). */
    static void shapedLike(Backend backend, String op, Tensor x, Tensor y) {
        backend.own(op, "x", x);
        backend.own(op, "y", y);
        shape(op, "y", y, x.shape());
    }

    /** {@link Backend#randomFill}: finite bounds in range for the distribution. */
    static void randomFill(Backend backend, Tensor t, Distribution d, float a, float b) {
        String op = "randomFill";
        Objects.requireNonNull(d, "randomFill: argument 'distribution' is null");
        backend.own(op, "t", t);
        if (!Float.isFinite(a) || !Float.isFinite(b)) {
            throw new IllegalArgumentException(op + ": arguments 'a' and 'b' must be finite, got a=" + a + ", b=" + b);
        }
        if (d == Distribution.UNIFORM && !(a < b)) {
            throw new IllegalArgumentException(op + ": UNIFORM needs a < b, got a=" + a + ", b=" + b);
        }
        if (d == Distribution.NORMAL && !(b >= 0)) {
            throw new IllegalArgumentException(op + ": NORMAL needs a standard deviation b >= 0, got b=" + b);
        }
    }

    /** {@link Backend#dropout}: a rate in {@code [0, 1)}, {@code y} shaped like {@code x}. */
    static void dropout(Backend backend, float rate, Tensor x, Tensor y) {
        String op = "dropout";
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(op + ": argument 'rate' must be in [0, 1), got " + rate);
        }
        shapedLike(backend, op, x, y);
    }

    /** The tensors of a backward pass: {@code dy} and {@code dx} shaped like the forward tensor. */
    private static void backwardTensors(Backend backend, String op, String forwardArg, Tensor forward, Tensor dy,
            Tensor dx) {
        backend.own(op, forwardArg, forward);
        backend.own(op, "dy", dy);
        backend.own(op, "dx", dx);
        shape(op, "dy", dy, forward.shape());
        shape(op, "dx", dx, forward.shape());
    }

    private static void checkAlpha(String op, Activation f, float alpha) {
        if ((f == Activation.LEAKY_RELU || f == Activation.ELU) && !(alpha >= 0f && Float.isFinite(alpha))) {
            throw new IllegalArgumentException(op + ": " + f.kerasName() + " needs a finite alpha >= 0, got " + alpha);
        }
    }
}
