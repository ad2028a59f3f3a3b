package dev.myelin.nn;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import java.util.Arrays;

/**
 * A weight of a layer, on the device: its value, its gradient (trainable weights only), its regularizer
 * and the optimizer's state slots. {@code name} is the weight-file name, e.g. {@code dense_1/kernel}.
 * Layers create them with {@link Layer#addWeight}.
 * The slots are the update rule's state (e.g. Adam's m, v and, with amsgrad, v_hat) followed, with
 * {@code use_ema}, by the moving average of the weights: everything the optimizer keeps, in one array.
 */
public final class Parameter {

    final String name;
    final Tensor value;
    final Tensor gradient;
    final Regularizer regularizer;
    Tensor[] slots = new Tensor[0];
    /** The first {@code rule().slots()} of {@link #slots}: what the fused update reads and writes. */
    private Tensor[] ruleSlots = new Tensor[0];
    /** The moving average of the weights with use_ema, else null (the last slot). */
    private Tensor average;
    /** Scratch for clipping by norm, allocated on first use: sums of squares and the regularized gradient. */
    private Tensor sumSquares;
    private Tensor total;
    private Tensor regularized;
    private Tensor sign;

    Parameter(String name, Tensor value, Tensor gradient, Regularizer regularizer) {
        this.name = name;
        this.value = value;
        this.gradient = gradient;
        this.regularizer = regularizer == null || regularizer.isZero() ? null : regularizer;
    }

    /**
     * The full name, {@code <layer>/<weight>}.
     *
     * @return the weight-file name, e.g. {@code dense_1/kernel}
     */
    public String name() {
        return name;
    }

    /**
     * The value on the device; a layer reads it in forward and backward, only the optimizer writes it.
     *
     * @return the weight's device tensor (owned by the model; do not close it)
     */
    public Tensor value() {
        return value;
    }

    /**
     * The gradient buffer backward writes into; null for a non-trainable weight.
     *
     * @return the device tensor of the value's shape holding the last step's gradient, or null
     */
    public Tensor gradient() {
        return gradient;
    }

    /**
     * Whether the weight has a gradient and may be trained (its layer must be trainable too).
     *
     * @return true if {@link #gradient()} is not null
     */
    public boolean trainable() {
        return gradient != null;
    }

    /**
     * The weight penalty, or null for none.
     *
     * @return the regularizer added to the loss, or null when none was given or its factors are all zero
     */
    public Regularizer regularizer() {
        return regularizer;
    }

    /**
     * The number of values.
     *
     * @return the element count of the value, rows times columns
     */
    public int size() {
        return value.size();
    }

    /** (Re)creates the optimizer's slots for this parameter. */
    void initSlots(Optimizer optimizer) {
        Layer.close(slots);
        Backend b = value.backend();
        int rule = optimizer.rule().slots();
        slots = new Tensor[rule + (optimizer.useEma() ? 1 : 0)];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = b.tensor(value.shape());
        }
        ruleSlots = Arrays.copyOf(slots, rule);
        optimizer.initSlots(b, ruleSlots);
        average = optimizer.useEma() ? slots[rule] : null;
        if (average != null) {
            b.fill(average, 0f);
        }
    }

    /**
     * One fused update with the optimizer's current coefficients, clipping and weight decay;
     * {@code sumSquares} is what the clipping by norm reads (null otherwise).
     */
    void update(Optimizer optimizer, Tensor sumSquares, float decay) {
        if (ruleSlots.length != optimizer.rule().slots() || optimizer.useEma() != (average != null)) {
            throw new IllegalStateException("optimizer: " + optimizer + " needs " + optimizer.rule().slots()
                    + (optimizer.useEma() ? " state tensors and a moving average" : " state tensors")
                    + " per parameter, '" + name + "' has " + slots.length + " state tensors"
                    + "; set amsgrad and use_ema before compile");
        }
        value.backend().optimizerUpdate(optimizer.rule(), optimizer.coefficients(), l1(), l2(), optimizer.clip(),
                optimizer.clipThreshold(), sumSquares, decay, value, gradient, ruleSlots);
    }

    private float l1() {
        return regularizer == null ? 0f : regularizer.l1();
    }

    private float l2() {
        return regularizer == null ? 0f : regularizer.l2();
    }

    /**
     * The sum of squares of the gradient the optimizer clips, into a {@code [1 x 1]} tensor on the device:
     * with a regularizer, of {@code g + l1 sign(w) + 2 l2 w} (Keras adds the penalty to the loss, so it is
     * part of the gradient it clips), built in scratch with the existing element-wise ops.
     */
    Tensor sumOfSquares() {
        Backend b = value.backend();
        if (sumSquares == null) {
            sumSquares = b.tensor(1, 1);
        }
        Tensor x = gradient;
        if (regularizer != null) {
            if (regularized == null) {
                regularized = b.tensor(value.shape());
            }
            b.axpby(1f, gradient, 0f, regularized);
            if (l2() != 0f) {
                b.axpby(2f * l2(), value, 1f, regularized);
            }
            if (l1() != 0f) {
                if (sign == null) {
                    sign = b.tensor(value.shape());
                }
                b.activation(Activation.STEP, 0f, value, sign); // [w > 0]
                b.axpby(l1(), sign, 1f, regularized);
                b.axpby(-1f, value, 0f, sign);
                b.activation(Activation.STEP, 0f, sign, sign); // [w < 0]
                b.axpby(-l1(), sign, 1f, regularized);
            }
            x = regularized;
        }
        b.reduce(Reduction.SUM_SQUARES, Axis.ALL, x, sumSquares);
        return sumSquares;
    }

    /** A {@code [1 x 1]} accumulator this parameter owns (the global norm's sum over the model). */
    Tensor total() {
        if (total == null) {
            total = value.backend().tensor(1, 1);
        }
        return total;
    }

    /** Keras's EMA step: {@code avg = momentum avg + (1 - momentum) w}; momentum 0 copies w. */
    void updateAverage(float momentum) {
        value.backend().axpby(1f - momentum, value, momentum, average);
    }

    /** Replaces the weights by their moving average (Keras's overwrite with the average). */
    void overwriteWithAverage() {
        value.backend().axpby(1f, average, 0f, value);
    }

    /** Adds {@code weight * penalty(value)} into {@code accumulator} using {@code scalar} as scratch. */
    void addPenalty(Tensor scalar, Tensor accumulator, float weight) {
        if (regularizer == null) {
            return;
        }
        Backend b = value.backend();
        if (regularizer.l1() != 0f) {
            b.reduce(Reduction.SUM_ABS, Axis.ALL, value, scalar);
            b.axpby(weight * regularizer.l1(), scalar, 1f, accumulator);
        }
        if (regularizer.l2() != 0f) {
            b.reduce(Reduction.SUM_SQUARES, Axis.ALL, value, scalar);
            b.axpby(weight * regularizer.l2(), scalar, 1f, accumulator);
        }
    }

    void release() {
        Layer.close(slots);
        Layer.close(sumSquares, total, regularized, sign);
        Layer.close(value, gradient);
    }

    @Override
    public String toString() {
        return name + " " + value.shape();
    }
}
