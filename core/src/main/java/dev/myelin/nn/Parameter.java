package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Reduction;

/**
 * A weight of a layer, on the device: its value, its gradient (trainable weights only), its regularizer
 * and the optimizer's state slots. {@code name} is the weight-file name, e.g. {@code dense_1/kernel}.
 * Layers create them with {@link Layer#addWeight}.
 */
public final class Parameter {

    final String name;
    final Tensor value;
    final Tensor gradient;
    final Regularizer regularizer;
    Tensor[] slots = new Tensor[0];

    Parameter(String name, Tensor value, Tensor gradient, Regularizer regularizer) {
        this.name = name;
        this.value = value;
        this.gradient = gradient;
        this.regularizer = regularizer == null || regularizer.isZero() ? null : regularizer;
    }

    /** The full name, {@code <layer>/<weight>}. */
    public String name() {
        return name;
    }

    /** The value on the device; a layer reads it in forward and backward, only the optimizer writes it. */
    public Tensor value() {
        return value;
    }

    /** The gradient buffer backward writes into; null for a non-trainable weight. */
    public Tensor gradient() {
        return gradient;
    }

    /** Whether the weight has a gradient and may be trained (its layer must be trainable too). */
    public boolean trainable() {
        return gradient != null;
    }

    /** The weight penalty, or null for none. */
    public Regularizer regularizer() {
        return regularizer;
    }

    /** The number of values. */
    public int size() {
        return value.size();
    }

    /** (Re)creates the optimizer's slots for this parameter. */
    void initSlots(Optimizer optimizer) {
        Layer.close(slots);
        Backend b = value.backend();
        slots = new Tensor[optimizer.rule().slots()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = b.tensor(value.shape());
        }
        optimizer.initSlots(b, slots);
    }

    void update(Optimizer optimizer) {
        float l1 = regularizer == null ? 0f : regularizer.l1();
        float l2 = regularizer == null ? 0f : regularizer.l2();
        value.backend().optimizerUpdate(optimizer.rule(), optimizer.coefficients(), l1, l2, value, gradient, slots);
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
        Layer.close(value, gradient);
    }

    @Override
    public String toString() {
        return name + " " + value.shape();
    }
}
