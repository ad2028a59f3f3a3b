package dev.myelin.nn;

import dev.myelin.spi.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link BatchNormalization} and {@link LayerNormalization} share: Keras's {@code epsilon}, the learned
 * per-feature scale {@code gamma} ({@code scale=True}, initialised to ones) and offset {@code beta}
 * ({@code center=True}, zeros), their initializers and regularizers, and their config keys. The output width
 * is the input width; the weights are created gamma first, then beta, as Keras does.
 */
abstract class AffineNormalization extends Layer {

    private float epsilon = 1e-3f;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializer.zeros();
    private Initializer gammaInitializer = Initializer.ones();
    private Regularizer betaRegularizer;
    private Regularizer gammaRegularizer;

    /** The scale, or null with {@code scale=False} (set by {@link #build(int)}). */
    Parameter gamma;
    /** The offset, or null with {@code center=False}. */
    Parameter beta;

    AffineNormalization() {
        super(null);
    }

    /**
     * Keras's {@code epsilon}, added to the variance.
     *
     * @return the epsilon, 1e-3 unless set
     */
    public final float epsilon() {
        return epsilon;
    }

    /**
     * Keras's {@code center}: whether the learned offset beta is added.
     *
     * @return true (the default) when the layer has a beta weight
     */
    public final boolean center() {
        return center;
    }

    /**
     * Keras's {@code scale}: whether the normalized value is multiplied by the learned gamma.
     *
     * @return true (the default) when the layer has a gamma weight
     */
    public final boolean scale() {
        return scale;
    }

    final void setEpsilon(float e) {
        checkNotBuilt();
        if (!(e >= 0f && Float.isFinite(e))) {
            throw new IllegalArgumentException(type() + ": argument 'epsilon' must be finite and >= 0, got " + e);
        }
        epsilon = e;
    }

    final void setCenter(boolean c) {
        checkNotBuilt();
        center = c;
    }

    final void setScale(boolean s) {
        checkNotBuilt();
        scale = s;
    }

    final void setInitializers(Initializer betaInit, Initializer gammaInit) {
        checkNotBuilt();
        betaInitializer = Objects.requireNonNull(betaInit, type() + ": argument 'beta_initializer' is null");
        gammaInitializer = Objects.requireNonNull(gammaInit, type() + ": argument 'gamma_initializer' is null");
    }

    final void setRegularizers(Regularizer betaReg, Regularizer gammaReg) {
        checkNotBuilt();
        betaRegularizer = betaReg;
        gammaRegularizer = gammaReg;
    }

    /** Reads the shared keys of {@code c} into this new layer (absent keys keep Keras's defaults). */
    final void readAffineConfig(Map<String, Object> c) {
        String t = type();
        Object axis = c.get("axis");
        if (axis != null && !(axis instanceof Number n && n.intValue() == -1 && n.doubleValue() == -1)
                && !(axis instanceof java.util.List<?> l && l.size() == 1 && l.get(0) instanceof Number n1
                        && n1.intValue() == -1)) {
            throw new IllegalArgumentException(t + " config: key 'axis' must be -1 (the features of a [batch x "
                    + "features] input), got " + axis);
        }
        setEpsilon(LayerConfig.number(c, "epsilon", epsilon, t));
        setCenter(LayerConfig.bool(c, "center", true, t));
        setScale(LayerConfig.bool(c, "scale", true, t));
        setInitializers(LayerConfig.initializer(c, "beta_initializer", betaInitializer, t),
                LayerConfig.initializer(c, "gamma_initializer", gammaInitializer, t));
        setRegularizers(LayerConfig.regularizer(c, "beta_regularizer", t),
                LayerConfig.regularizer(c, "gamma_regularizer", t));
    }

    /** Writes the shared keys, in Keras's order, after the base keys. */
    final void writeAffineConfig(Map<String, Object> c) {
        c.put("axis", -1);
        c.put("epsilon", (double) epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("beta_initializer", LayerConfig.initializer(betaInitializer));
        c.put("gamma_initializer", LayerConfig.initializer(gammaInitializer));
        c.put("beta_regularizer", LayerConfig.regularizer(betaRegularizer));
        c.put("gamma_regularizer", LayerConfig.regularizer(gammaRegularizer));
    }

    @Override
    public final int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    protected void build(int inputSize) {
        gamma = scale ? addWeight("gamma", 1, inputSize, gammaInitializer, gammaRegularizer, true) : null;
        beta = center ? addWeight("beta", 1, inputSize, betaInitializer, betaRegularizer, true) : null;
    }

    /** gamma's value, or null without scale. */
    final Tensor gammaValue() {
        return gamma == null ? null : gamma.value();
    }

    /** beta's value, or null without center. */
    final Tensor betaValue() {
        return beta == null ? null : beta.value();
    }

    /** Where backward writes gamma's gradient: null without scale or when the layer is frozen. */
    final Tensor gammaGradient() {
        return gamma == null || !trainable() ? null : gamma.gradient();
    }

    /** Where backward writes beta's gradient: null without center or when the layer is frozen. */
    final Tensor betaGradient() {
        return beta == null || !trainable() ? null : beta.gradient();
    }
}
