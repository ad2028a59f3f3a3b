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
public final class LayerNormalization extends AffineNormalization<LayerNormalization> {

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
        return statisticsFrame(batch, batch, 1);
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        StatisticsFrame f = (StatisticsFrame) frame;
        Backend b = x.backend();
        f.input = x;
        b.moments(Axis.PER_ROW, x, f.mean, f.variance);
        b.normalize(Axis.PER_ROW, epsilon(), 0f, x, f.mean, f.variance, gammaValue(), betaValue(), f.y);
        return f.y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        StatisticsFrame f = (StatisticsFrame) frame;
        // dx overwrites dy: the kernel reads dy for the parameter gradients first.
        dy.backend().normalizeBackward(Axis.PER_ROW, true, epsilon(), 0f, f.input, f.mean, f.variance, gammaValue(),
                dy, gammaGradient(), betaGradient(), dy);
        return pass.needInputGradient() ? dy : null;
    }

    @Override
    public String toString() {
        return "LayerNormalization(epsilon=" + epsilon() + ")";
    }
}
