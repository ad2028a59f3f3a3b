package dev.myelin.nn;

import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.Tensor;
import java.util.Map;

/**
 * Keras {@code GaussianNoise(stddev)}: in training, adds noise drawn from {@code N(0, stddev^2)} to each
 * input; the identity in inference. Its gradient is the identity.
 *
 * <p>The noise comes from the counter-based generator ({@link CounterRandom#normal}), keyed like
 * {@link Dropout}'s mask: element {@code (r, c)} is {@code stddev * normal(s, (firstRow + r) * width + c)}
 * with {@code s = streamSeed(layerSeed, step)}, so a run is reproducible on every backend and a batch split
 * over workers draws the noise of the whole batch. A normal value consumes two uniforms, so shifting the
 * element index by {@code k} adds {@code 2 k GOLDEN} to the seed.
 */
public final class GaussianNoise extends Layer {

    private final float stddev;

    /**
     * Gaussian noise of standard deviation {@code stddev}.
     *
     * @param stddev Keras's {@code stddev}, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code stddev} is negative, infinite or NaN
     */
    public GaussianNoise(float stddev) {
        super(null);
        if (!(stddev >= 0f && Float.isFinite(stddev))) {
            throw new IllegalArgumentException("GaussianNoise: argument 'stddev' must be finite and >= 0, got " + stddev);
        }
        this.stddev = stddev;
    }

    /**
     * Rebuilds a layer from its {@link #config()}.
     *
     * @param c the config: {@code stddev} (required) plus the base keys; Keras's {@code seed} is ignored (the
     *     noise is keyed by the model's seed)
     * @return the rebuilt layer
     */
    public static GaussianNoise fromConfig(Map<String, Object> c) {
        return new GaussianNoise(LayerConfig.number(c, "stddev", Float.NaN, "GaussianNoise")).withBaseConfig(c);
    }

    /**
     * Names the layer (before the model is built).
     *
     * @param name the layer's name
     * @return this layer
     */
    public GaussianNoise name(String name) {
        rename(name);
        return this;
    }

    /**
     * Keras's {@code stddev}.
     *
     * @return the standard deviation of the noise
     */
    public float stddev() {
        return stddev;
    }

    @Override
    public String type() {
        return "GaussianNoise";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("stddev", (double) stddev);
        c.put("seed", null);
        return c;
    }

    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    protected Frame frame(int batch) {
        Tensor y = backend().tensor(batch, inputSize());
        return new NoiseFrame(y);
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        if (!pass.training() || stddev == 0f) {
            return x;
        }
        Tensor y = ((NoiseFrame) frame).y;
        long s = CounterRandom.streamSeed(seed(), pass.step()) + 2 * pass.firstRow() * x.cols() * CounterRandom.GOLDEN;
        x.backend().randomFill(y, Distribution.NORMAL, 0f, stddev, s);
        x.backend().binary(BinaryOp.ADD, x, y, y);
        return y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        return pass.needInputGradient() ? dy : null;
    }

    /** The per-call buffer: the noise, then the output. */
    private static final class NoiseFrame extends Frame {
        final Tensor y;

        NoiseFrame(Tensor y) {
            super(y);
            this.y = y;
        }
    }

    @Override
    public String toString() {
        return "GaussianNoise(" + stddev + ")";
    }
}
