package dev.myelin.nn;

import dev.myelin.spi.GradientClip;

/**
 * The options every Keras 3 optimizer takes from {@code keras.optimizers.Optimizer} (BaseOptimizer),
 * with Keras's defaults: no clipping, no weight decay, no EMA ({@code ema_momentum} 0.99 once
 * enabled, no overwrite). The setters return the optimizer, so they chain:
 * {@code new Adam().clipnorm(1f).weightDecay(1e-4f)}.
 */
public abstract class OptimizerOptions {

    private GradientClip clip = GradientClip.NONE;
    private float clipAt;
    private float weightDecay;
    private boolean useEma;
    private float emaMomentum = 0.99f;
    private int emaOverwriteFrequency;

    OptimizerOptions() {
    }

    /**
     * Keras's {@code clipnorm}: each gradient tensor is scaled so that its L2 norm is at most {@code norm}.
     *
     * @param norm the largest L2 norm per gradient tensor; finite and {@code > 0}
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException if {@code norm} is not finite and positive, or if clipvalue or
     *         global_clipnorm is already set
     */
    public final Optimizer clipnorm(float norm) {
        return clip(GradientClip.NORM, "clipnorm", norm);
    }

    /**
     * Keras's {@code clipvalue}: each gradient element is clipped to {@code [-value, value]}.
     *
     * @param value the largest absolute value of a gradient element; finite and {@code > 0}
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException if {@code value} is not finite and positive, or if clipnorm or
     *         global_clipnorm is already set
     */
    public final Optimizer clipvalue(float value) {
        return clip(GradientClip.VALUE, "clipvalue", value);
    }

    /**
     * Keras's {@code global_clipnorm}: all gradients are scaled so that their joint L2 norm is at most
     * {@code norm}.
     *
     * @param norm the largest L2 norm of all gradients taken together; finite and {@code > 0}
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException if {@code norm} is not finite and positive, or if clipnorm or
     *         clipvalue is already set
     */
    public final Optimizer globalClipnorm(float norm) {
        return clip(GradientClip.GLOBAL_NORM, "global_clipnorm", norm);
    }

    private Optimizer clip(GradientClip mode, String arg, float at) {
        if (clip != GradientClip.NONE && clip != mode) {
            throw new IllegalArgumentException("optimizer: only one of clipnorm, clipvalue and global_clipnorm can be"
                    + " set; " + kerasName(clip) + " is already " + clipAt + ", got " + arg + "=" + at);
        }
        clip = mode;
        clipAt = Optimizer.checkPositive(arg, at);
        return self();
    }

    private static String kerasName(GradientClip mode) {
        return switch (mode) {
            case NORM -> "clipnorm";
            case VALUE -> "clipvalue";
            case GLOBAL_NORM -> "global_clipnorm";
            case NONE -> "none";
        };
    }

    /**
     * The clipping mode ({@link GradientClip#NONE} by default).
     *
     * @return the mode set by {@link #clipnorm}, {@link #clipvalue} or {@link #globalClipnorm}, or NONE
     */
    public final GradientClip clip() {
        return clip;
    }

    /**
     * The clipping threshold (0 without clipping).
     *
     * @return the norm or value limit of the current {@link #clip()} mode, {@code > 0} when clipping
     */
    public final float clipThreshold() {
        return clipAt;
    }

    /**
     * Keras 3's {@code weight_decay}, decoupled: before each update {@code w -= w * weightDecay * lr},
     * for every parameter (kernels and biases).
     *
     * @param decay the decay factor per update, scaled by the learning rate; finite and {@code >= 0} (0: none)
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException if {@code decay} is negative or not finite
     */
    public final Optimizer weightDecay(float decay) {
        this.weightDecay = Optimizer.checkNonNegative("weight_decay", decay);
        return self();
    }

    /**
     * The decoupled weight decay (0: none).
     *
     * @return the factor set by {@link #weightDecay(float)}, {@code >= 0}
     */
    public final float weightDecay() {
        return weightDecay;
    }

    /**
     * Keras's {@code use_ema}: the optimizer keeps an exponential moving average of every parameter
     * ({@code avg = m avg + (1 - m) w} after each update; the first update copies {@code w}), and at the
     * end of {@code fit} the model's weights are replaced by their averages. Set before compile.
     *
     * @param use true to keep the moving averages (default false)
     * @return this optimizer, for chaining
     */
    public final Optimizer useEma(boolean use) {
        this.useEma = use;
        return self();
    }

    /**
     * Whether the optimizer keeps a moving average of the weights.
     *
     * @return true if {@code use_ema} is set
     */
    public final boolean useEma() {
        return useEma;
    }

    /**
     * Keras's {@code ema_momentum} (0.99), in [0, 1].
     *
     * @param momentum the weight {@code m} of the old average in {@code avg = m avg + (1 - m) w}; in [0, 1]
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException if {@code momentum} is outside [0, 1] or NaN
     */
    public final Optimizer emaMomentum(float momentum) {
        if (!(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException("optimizer: argument 'ema_momentum' must be in [0, 1], got " + momentum);
        }
        this.emaMomentum = momentum;
        return self();
    }

    /**
     * The EMA momentum.
     *
     * @return the momentum in [0, 1], 0.99 unless set
     */
    public final float emaMomentum() {
        return emaMomentum;
    }

    /**
     * Keras's {@code ema_overwrite_frequency}: every {@code steps} updates the weights are replaced by
     * their moving averages (0, the default, as Keras's None: only at the end of fit).
     *
     * @param steps the number of optimizer updates between overwrites, {@code >= 1}, or 0 for none
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException if {@code steps} is negative
     */
    public final Optimizer emaOverwriteFrequency(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("optimizer: argument 'ema_overwrite_frequency' must be >= 1, or 0 for"
                    + " none, got " + steps);
        }
        this.emaOverwriteFrequency = steps;
        return self();
    }

    /**
     * Updates between overwrites of the weights by their averages (0: none).
     *
     * @return the overwrite frequency in optimizer updates, {@code >= 0}
     */
    public final int emaOverwriteFrequency() {
        return emaOverwriteFrequency;
    }

    /**
     * Keras's {@code BaseOptimizer.get_config} entries of these options, as Keras writes them (null for unset
     * ones), added to {@code config}.
     */
    final void putOptions(java.util.Map<String, Object> config) {
        config.put("weight_decay", weightDecay == 0f ? null : (Object) (double) weightDecay);
        config.put("clipnorm", clip == GradientClip.NORM ? (Object) (double) clipAt : null);
        config.put("global_clipnorm", clip == GradientClip.GLOBAL_NORM ? (Object) (double) clipAt : null);
        config.put("clipvalue", clip == GradientClip.VALUE ? (Object) (double) clipAt : null);
        config.put("use_ema", useEma);
        config.put("ema_momentum", (double) emaMomentum);
        config.put("ema_overwrite_frequency", emaOverwriteFrequency == 0 ? null : (Object) (long) emaOverwriteFrequency);
    }

    /** Sets the options from Keras's config entries ({@link #putOptions}); absent or null ones keep the defaults. */
    final void takeOptions(java.util.Map<String, Object> config, String type) {
        Object wd = config.get("weight_decay");
        if (wd != null) {
            weightDecay(LayerConfig.number(config, "weight_decay", 0f, type));
        }
        if (config.get("clipnorm") != null) {
            clipnorm(LayerConfig.number(config, "clipnorm", 0f, type));
        }
        if (config.get("global_clipnorm") != null) {
            globalClipnorm(LayerConfig.number(config, "global_clipnorm", 0f, type));
        }
        if (config.get("clipvalue") != null) {
            clipvalue(LayerConfig.number(config, "clipvalue", 0f, type));
        }
        useEma(LayerConfig.bool(config, "use_ema", false, type));
        emaMomentum(LayerConfig.number(config, "ema_momentum", 0.99f, type));
        if (config.get("ema_overwrite_frequency") != null) {
            emaOverwriteFrequency(LayerConfig.integer(config, "ema_overwrite_frequency", type));
        }
    }

    /** The options that differ from Keras's defaults, as {@code ", clipnorm=1.0"}. */
    final String optionsString() {
        StringBuilder sb = new StringBuilder();
        if (clip != GradientClip.NONE) {
            sb.append(", ").append(kerasName(clip)).append('=').append(clipAt);
        }
        if (weightDecay != 0f) {
            sb.append(", weight_decay=").append(weightDecay);
        }
        if (useEma) {
            sb.append(", use_ema=true, ema_momentum=").append(emaMomentum);
            if (emaOverwriteFrequency > 0) {
                sb.append(", ema_overwrite_frequency=").append(emaOverwriteFrequency);
            }
        }
        return sb.toString();
    }

    private Optimizer self() {
        return (Optimizer) this;
    }
}
