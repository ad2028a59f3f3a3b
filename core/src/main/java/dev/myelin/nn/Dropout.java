package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.spi.Backend;
import dev.myelin.spi.CounterRandom;

/**
 * Keras {@code Dropout(rate)}: in training, zeroes each input with probability {@code rate} and scales
 * the rest by {@code 1 / (1 - rate)}; the identity in inference. Masks come from the counter-based
 * generator keyed by a per-step seed, so every backend drops the same units.
 */
public final class Dropout extends Layer {

    private final float rate;
    private long seed;

    /**
     * A layer that drops a fraction {@code rate} of its inputs while training.
     *
     * @param rate the fraction to drop, in [0, 1)
     */
    public Dropout(float rate) {
        super(null);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("Dropout: argument 'rate' must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /**
     * The fraction of inputs dropped while training.
     *
     * @return the rate
     */
    public float rate() {
        return rate;
    }

    @Override
    public String type() {
        return "Dropout";
    }

    @Override
    String namePrefix() {
        return "dropout";
    }

    @Override
    int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    int build(Backend b, int inputSize, long seed) {
        this.seed = seed;
        this.backend = b;
        this.width = inputSize;
        return inputSize;
    }

    private Backend backend;
    private int width;

    @Override
    Frame frame(int batch) {
        return new DropoutFrame(backend.tensor(batch, width));
    }

    @Override
    Tensor forward(Frame frame, Tensor x, boolean training, long step, boolean skipActivation) {
        DropoutFrame f = (DropoutFrame) frame;
        f.active = training && rate > 0f;
        if (!f.active) {
            return x;
        }
        f.stepSeed = CounterRandom.streamSeed(seed, step);
        x.backend().dropout(rate, f.stepSeed, x, f.y);
        return f.y;
    }

    @Override
    Tensor backward(Frame frame, Tensor dy, boolean needInputGradient, boolean skipActivation) {
        DropoutFrame f = (DropoutFrame) frame;
        if (!needInputGradient) {
            return null;
        }
        if (f.active) {
            // The same mask and scale applied to the gradient: dropout is linear in its input.
            dy.backend().dropout(rate, f.stepSeed, dy, dy);
        }
        return dy;
    }

    private static final class DropoutFrame extends Frame {
        final Tensor y;
        boolean active;
        long stepSeed;

        DropoutFrame(Tensor y) {
            this.y = y;
        }

        @Override
        void release() {
            y.close();
        }
    }

    @Override
    public String toString() {
        return "Dropout(" + rate + ")";
    }
}
