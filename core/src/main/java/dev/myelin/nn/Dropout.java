package dev.myelin.nn;

import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Tensor;
import java.util.Map;

/**
 * Keras {@code Dropout(rate)}: in training, zeroes each input with probability {@code rate} and scales
 * the rest by {@code 1 / (1 - rate)}; the identity in inference.
 *
 * <p>The mask comes from the counter-based generator ({@link CounterRandom}), so every backend drops the
 * same units. Element {@code (r, c)} of a batch is kept when {@code uniform(s, (firstRow + r) * width + c)
 * >= rate}, with {@code s = streamSeed(layerSeed, step)}: it depends only on the model's seed, the layer's
 * position, the step key ({@link Layer.Pass#step()}, the optimizer iteration unless a trainer sets it) and
 * the row's global index, never on how a batch is split. Shifting the index by {@code k} equals adding
 * {@code k * GOLDEN} to the seed (see {@link CounterRandom#bits}), which is how a row offset reaches the
 * backend's dropout kernel.
 */
public final class Dropout extends Layer {

    private final float rate;

    /**
     * Dropout of a fraction {@code rate} in [0, 1) of the inputs.
     *
     * @param rate Keras's {@code rate}, the fraction of inputs set to 0 in training, in [0, 1)
     * @throws IllegalArgumentException if {@code rate} is outside [0, 1) or NaN
     */
    public Dropout(float rate) {
        super(null);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("Dropout: argument 'rate' must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /**
     * Rebuilds a Dropout layer from its {@link #config()}.
     *
     * @param c the layer's config: the key {@code "rate"} plus the base layer keys (name, ...)
     * @return the rebuilt layer
     */
    public static Dropout fromConfig(Map<String, Object> c) {
        return new Dropout(LayerConfig.number(c, "rate", Float.NaN, "Dropout")).withBaseConfig(c);
    }

    /**
     * The fraction of inputs dropped in training.
     *
     * @return Keras's {@code rate}, in [0, 1)
     */
    public float rate() {
        return rate;
    }

    @Override
    public String type() {
        return "Dropout";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rate", (double) rate);
        return c;
    }

    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    protected Frame frame(int batch) {
        return new DropoutFrame(backend().tensor(batch, inputSize()));
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        DropoutFrame f = (DropoutFrame) frame;
        f.active = pass.training() && rate > 0f;
        if (!f.active) {
            return x;
        }
        f.maskSeed = CounterRandom.streamSeed(seed(), pass.step())
                + pass.firstRow() * x.cols() * CounterRandom.GOLDEN;
        x.backend().dropout(rate, f.maskSeed, x, f.y);
        return f.y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        DropoutFrame f = (DropoutFrame) frame;
        if (!pass.needInputGradient()) {
            return null;
        }
        if (f.active) {
            // The same mask and scale applied to the gradient: dropout is linear in its input.
            dy.backend().dropout(rate, f.maskSeed, dy, dy);
        }
        return dy;
    }

    private static final class DropoutFrame extends Frame {
        final Tensor y;
        boolean active;
        long maskSeed;

        DropoutFrame(Tensor y) {
            this.y = y;
        }

        @Override
        protected void release() {
            y.close();
        }
    }

    @Override
    public String toString() {
        return "Dropout(" + rate + ")";
    }
}
