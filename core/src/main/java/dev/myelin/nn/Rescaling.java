package dev.myelin.nn;

import dev.myelin.spi.Tensor;
import java.util.Map;

/**
 * Keras {@code Rescaling(scale, offset=0.0)} (keras.layers.Rescaling): {@code y = x * scale + offset}, the same
 * in training and inference, with no weights. Typical use: {@code new Rescaling(1f / 255f)} in front of pixel
 * data. Composed of {@code fill} and {@code axpby}, so it propagates NaN and Inf as IEEE arithmetic does on
 * every backend.
 */
public final class Rescaling extends Layer {

    private final float scale;
    private final float offset;

    /**
     * {@code y = x * scale + offset}.
     *
     * @param scale the factor applied to the input; finite
     * @param offset the value added after scaling; finite
     * @throws IllegalArgumentException when either is NaN or infinite
     */
    public Rescaling(float scale, float offset) {
        super(null);
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("Rescaling: argument 'scale' must be finite, got " + scale);
        }
        if (!Float.isFinite(offset)) {
            throw new IllegalArgumentException("Rescaling: argument 'offset' must be finite, got " + offset);
        }
        this.scale = scale;
        this.offset = offset;
    }

    /**
     * {@code y = x * scale} (Keras's default offset 0).
     *
     * @param scale the factor applied to the input; finite
     */
    public Rescaling(float scale) {
        this(scale, 0f);
    }

    /**
     * Rebuilds a Rescaling layer from its {@link #config()}.
     *
     * @param c the config: {@code scale}, {@code offset} and the base layer keys
     * @return the rebuilt layer
     */
    public static Rescaling fromConfig(Map<String, Object> c) {
        return new Rescaling(LayerConfig.number(c, "scale", Float.NaN, "Rescaling"),
                LayerConfig.number(c, "offset", 0f, "Rescaling")).withBaseConfig(c);
    }

    /**
     * Names the layer (before the model is built).
     *
     * @param name the layer's name
     * @return this layer
     */
    public Rescaling name(String name) {
        rename(name);
        return this;
    }

    /**
     * The factor applied to the input.
     *
     * @return the scale
     */
    public float scale() {
        return scale;
    }

    /**
     * The value added after scaling.
     *
     * @return the offset
     */
    public float offset() {
        return offset;
    }

    @Override
    public String type() {
        return "Rescaling";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("scale", (double) scale);
        c.put("offset", (double) offset);
        return c;
    }

    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    protected Frame frame(int batch) {
        Tensor y = backend().tensor(batch, inputSize());
        return new RescalingFrame(y);
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        Tensor y = ((RescalingFrame) frame).y;
        x.backend().fill(y, offset);
        x.backend().axpby(scale, x, 1f, y);
        return y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        if (!pass.needInputGradient()) {
            return null;
        }
        // dx = scale * dy, in place: dy may be overwritten, and beta 0 never reads the old values.
        dy.backend().axpby(scale, dy, 0f, dy);
        return dy;
    }

    /** The per-call buffer: the output. */
    private static final class RescalingFrame extends Frame {
        final Tensor y;

        RescalingFrame(Tensor y) {
            super(y);
            this.y = y;
        }
    }

    @Override
    public String toString() {
        return "Rescaling(" + scale + ", " + offset + ")";
    }
}
