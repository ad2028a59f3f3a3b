package dev.myelin.nn;

import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link BatchNormalization} and {@link LayerNormalization} share: Keras's {@code epsilon}, the learned
 * per-feature scale {@code gamma} ({@code scale=True}, initialised to ones) and offset {@code beta}
 * ({@code center=True}, zeros), their initializers and regularizers, and their config keys. The output width
 * is the input width; the weights are created gamma first, then beta, as Keras does. The fluent setters
 * return the concrete layer ({@code L}) and apply before the model is built.
 *
 * @param <L> the concrete layer type
 */
abstract class AffineNormalization<L extends AffineNormalization<L>> extends Layer {

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

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    /**
     * Keras's {@code epsilon} (before the model is built).
     *
     * @param e the value added to the variance, finite and {@code >= 0}
     * @return this layer
     * @throws IllegalArgumentException if {@code e} is negative or not finite
     * @throws IllegalStateException if the layer is already built
     */
    public final L epsilon(float e) {
        checkNotBuilt();
        if (!(e >= 0f && Float.isFinite(e))) {
            throw new IllegalArgumentException(type() + ": argument 'epsilon' must be finite and >= 0, got " + e);
        }
        epsilon = e;
        return self();
    }

    /**
     * Keras's {@code center} (before the model is built).
     *
     * @param c true to add the learned offset beta
     * @return this layer
     * @throws IllegalStateException if the layer is already built
     */
    public final L center(boolean c) {
        checkNotBuilt();
        center = c;
        return self();
    }

    /**
     * Keras's {@code scale} (before the model is built).
     *
     * @param s true to multiply by the learned scale gamma
     * @return this layer
     * @throws IllegalStateException if the layer is already built
     */
    public final L scale(boolean s) {
        checkNotBuilt();
        scale = s;
        return self();
    }

    /**
     * Keras's {@code beta_initializer} and {@code gamma_initializer} (before the model is built).
     *
     * @param betaInit the offset's initializer (Keras: zeros); not null
     * @param gammaInit the scale's initializer (Keras: ones); not null
     * @return this layer
     * @throws NullPointerException if an initializer is null
     * @throws IllegalStateException if the layer is already built
     */
    public final L initializers(Initializer betaInit, Initializer gammaInit) {
        checkNotBuilt();
        betaInitializer = Objects.requireNonNull(betaInit, type() + ": argument 'beta_initializer' is null");
        gammaInitializer = Objects.requireNonNull(gammaInit, type() + ": argument 'gamma_initializer' is null");
        return self();
    }

    /**
     * Keras's {@code beta_regularizer} and {@code gamma_regularizer} (before the model is built).
     *
     * @param betaReg the offset's penalty, or null for none
     * @param gammaReg the scale's penalty, or null for none
     * @return this layer
     * @throws IllegalStateException if the layer is already built
     */
    public final L regularizers(Regularizer betaReg, Regularizer gammaReg) {
        checkNotBuilt();
        betaRegularizer = betaReg;
        gammaRegularizer = gammaReg;
        return self();
    }

    /**
     * Names the layer (before the model is built).
     *
     * @param name the layer's name, unique within its model; not null
     * @return this layer
     * @throws IllegalStateException if the layer is already built
     */
    public final L name(String name) {
        rename(name);
        return self();
    }

    /** Reads the shared keys of {@code c} into this new layer (absent keys keep Keras's defaults). */
    final void readAffineConfig(Map<String, Object> c) {
        String t = type();
        LayerConfig.requireLastAxis(c, t);
        epsilon(LayerConfig.number(c, "epsilon", epsilon, t));
        center(LayerConfig.bool(c, "center", true, t));
        scale(LayerConfig.bool(c, "scale", true, t));
        initializers(LayerConfig.initializer(c, "beta_initializer", betaInitializer, t),
                LayerConfig.initializer(c, "gamma_initializer", gammaInitializer, t));
        regularizers(LayerConfig.regularizer(c, "beta_regularizer", t), LayerConfig.regularizer(c, "gamma_regularizer", t));
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

    /**
     * Where backward writes gamma's gradient: null without scale. Written for a frozen layer too, as Dense
     * does: a layer frozen after compile is still in the optimizer's list until the next compile, and must not
     * hand it a stale gradient.
     */
    final Tensor gammaGradient() {
        return gamma == null ? null : gamma.gradient();
    }

    /** A frame of {@code batch} rows with statistics of {@code statRows x statCols} (per column or per row). */
    final StatisticsFrame statisticsFrame(int batch, int statRows, int statCols) {
        Backend b = backend();
        return new StatisticsFrame(b.tensor(batch, inputSize()), b.tensor(statRows, statCols),
                b.tensor(statRows, statCols));
    }

    /** The per-call buffers: the output, the statistics of the batch, and what backward needs of forward. */
    static final class StatisticsFrame extends Frame {
        final Tensor y;
        final Tensor mean;
        final Tensor variance;
        Tensor input;
        boolean batchStatistics;

        StatisticsFrame(Tensor y, Tensor mean, Tensor variance) {
            super(y, mean, variance);
            this.y = y;
            this.mean = mean;
            this.variance = variance;
        }
    }

    /** Where backward writes beta's gradient: null without center (written for a frozen layer too). */
    final Tensor betaGradient() {
        return beta == null ? null : beta.gradient();
    }
}
