package dev.myelin.nn;

import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.util.Map;

/**
 * Keras {@code LayerNormalization} over the features of each sample ({@code axis=-1}), with Keras 3's
 * defaults: {@code epsilon=1e-3}, {@code center} and {@code scale} on (beta zeros, gamma ones) and
 * {@code rms_scaling=False}: {@code y = gamma (x - mean) / sqrt(var + epsilon) + beta} with the mean and the
 * biased variance of each row. The same in training and inference; the backward pass differentiates through
 * the row statistics. Weights: {@code gamma}, {@code beta}, both trainable.
 */
public final class LayerNormalization extends AffineNormalization {

    /** A layer normalization with Keras's defaults. */
    public LayerNormalization() {
    }

    /**
     * Rebuilds a layer from its {@link #config()}.
     *
     * @param c Keras's config keys: {@code axis} (-1 only), {@code epsilon}, {@code center}, {@code scale},
     *     {@code rms_scaling} (false only), the initializers and regularizers of beta and gamma, plus the base
     *     keys; absent keys take the defaults
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if a value is of the wrong type, out of range, or {@code rms_scaling} is true
     */
    public static LayerNormalization fromConfig(Map<String, Object> c) {
        if (LayerConfig.bool(c, "rms_scaling", false, "LayerNormalization")) {
            throw new IllegalArgumentException("LayerNormalization config: key 'rms_scaling' must be false (RMS scaling"
                    + " is not supported), got true");
        }
        LayerNormalization l = new LayerNormalization();
        l.readAffineConfig(c);
        return l.withBaseConfig(c);
    }

    /**
     * Keras's {@code epsilon} (before the model is built).
     *
     * @param e the value added to the variance, finite and {@code >= 0}
     * @return this layer
     * @throws IllegalArgumentException if {@code e} is negative or not finite
     */
    public LayerNormalization epsilon(float e) {
        setEpsilon(e);
        return this;
    }

    /**
     * Keras's {@code center} (before the model is built).
     *
     * @param c true to add the learned offset beta
     * @return this layer
     */
    public LayerNormalization center(boolean c) {
        setCenter(c);
        return this;
    }

    /**
     * Keras's {@code scale} (before the model is built).
     *
     * @param s true to multiply by the learned scale gamma
     * @return this layer
     */
    public LayerNormalization scale(boolean s) {
        setScale(s);
        return this;
    }

    /**
     * Keras's {@code beta_initializer} and {@code gamma_initializer} (before the model is built).
     *
     * @param beta the offset's initializer (Keras: zeros); not null
     * @param gamma the scale's initializer (Keras: ones); not null
     * @return this layer
     */
    public LayerNormalization initializers(Initializer beta, Initializer gamma) {
        setInitializers(beta, gamma);
        return this;
    }

    /**
     * Keras's {@code beta_regularizer} and {@code gamma_regularizer} (before the model is built).
     *
     * @param beta the offset's penalty, or null for none
     * @param gamma the scale's penalty, or null for none
     * @return this layer
     */
    public LayerNormalization regularizers(Regularizer beta, Regularizer gamma) {
        setRegularizers(beta, gamma);
        return this;
    }

    /**
     * Names the layer (before the model is built).
     *
     * @param name the layer's name
     * @return this layer
     */
    public LayerNormalization name(String name) {
        rename(name);
        return this;
    }

    @Override
    public String type() {
        return "LayerNormalization";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        writeAffineConfig(c);
        c.put("rms_scaling", false);
        return c;
    }

    @Override
    protected Frame frame(int batch) {
        Backend b = backend();
        return new LayerNormFrame(b.tensor(batch, inputSize()), b.tensor(batch, 1), b.tensor(batch, 1));
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        LayerNormFrame f = (LayerNormFrame) frame;
        Backend b = x.backend();
        f.input = x;
        b.moments(Axis.PER_ROW, x, f.mean, f.variance);
        b.normalize(Axis.PER_ROW, epsilon(), 0f, x, f.mean, f.variance, gammaValue(), betaValue(), f.y);
        return f.y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        LayerNormFrame f = (LayerNormFrame) frame;
        // dx overwrites dy: the kernel reads dy for the parameter gradients first.
        dy.backend().normalizeBackward(Axis.PER_ROW, true, epsilon(), 0f, f.input, f.mean, f.variance, gammaValue(),
                dy, gammaGradient(), betaGradient(), dy);
        return pass.needInputGradient() ? dy : null;
    }

    /** The per-call buffers: the output and each row's statistics. */
    private static final class LayerNormFrame extends Frame {
        final Tensor y;
        final Tensor mean;
        final Tensor variance;
        Tensor input;

        LayerNormFrame(Tensor y, Tensor mean, Tensor variance) {
            super(y, mean, variance);
            this.y = y;
            this.mean = mean;
            this.variance = variance;
        }
    }

    @Override
    public String toString() {
        return "LayerNormalization(epsilon=" + epsilon() + ")";
    }
}
