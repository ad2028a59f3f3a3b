package dev.myelin.nn;

import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * Keras {@code BatchNormalization} over the features of a {@code [batch x features]} input ({@code axis=-1}),
 * with Keras 3's defaults: {@code momentum=0.99}, {@code epsilon=1e-3}, {@code center} and {@code scale} on
 * (beta zeros, gamma ones), moving mean zeros and moving variance ones.
 *
 * <p>In training it normalizes with the batch's statistics, the mean and the biased variance of each column:
 * {@code y = gamma (x - mean) / sqrt(var + epsilon) + beta}, and updates the moving statistics
 * {@code moving = moving * momentum + batch * (1 - momentum)}; its backward pass differentiates through the
 * batch statistics. In inference ({@code predict}, {@code evaluate}, validation) it uses the moving
 * statistics instead. A frozen layer ({@code trainable(false)}) runs in inference mode during training too,
 * as in Keras 3: its moving statistics stay as they are and the gradient passes through the fixed formula.
 *
 * <p>Weights, in Keras's order: {@code gamma}, {@code beta} (trainable), {@code moving_mean},
 * {@code moving_variance} (non-trainable; saved and loaded with the others). So 64 features hold 256
 * parameters, 128 of them non-trainable.
 */
public final class BatchNormalization extends AffineNormalization<BatchNormalization> {

    private float momentum = 0.99f;
    private Initializer movingMeanInitializer = Initializer.zeros();
    private Initializer movingVarianceInitializer = Initializer.ones();
    private Parameter movingMean;
    private Parameter movingVariance;

    /** A batch normalization layer with Keras's defaults. */
    public BatchNormalization() {
    }

    /**
     * Rebuilds a layer from its {@link #config()}.
     *
     * @param c Keras's config keys: {@code axis} (-1 only), {@code momentum}, {@code epsilon}, {@code center},
     *     {@code scale}, the four initializers, {@code beta_regularizer}, {@code gamma_regularizer}, plus the
     *     base keys; absent keys take the defaults
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if a value is of the wrong type or out of range
     */
    public static BatchNormalization fromConfig(Map<String, Object> c) {
        BatchNormalization l = new BatchNormalization();
        l.readAffineConfig(c);
        l.momentum(LayerConfig.number(c, "momentum", 0.99f, "BatchNormalization"));
        l.movingMeanInitializer = LayerConfig.initializer(c, "moving_mean_initializer", l.movingMeanInitializer,
                "BatchNormalization");
        l.movingVarianceInitializer = LayerConfig.initializer(c, "moving_variance_initializer",
                l.movingVarianceInitializer, "BatchNormalization");
        return l.withBaseConfig(c);
    }

    /**
     * Keras's {@code momentum} of the moving statistics (before the model is built).
     *
     * @param m the momentum, in [0, 1]
     * @return this layer
     * @throws IllegalArgumentException if {@code m} is outside [0, 1] or NaN
     */
    public BatchNormalization momentum(float m) {
        checkNotBuilt();
        if (!(m >= 0f && m <= 1f)) {
            throw new IllegalArgumentException("BatchNormalization: argument 'momentum' must be in [0, 1], got " + m);
        }
        momentum = m;
        return this;
    }

    /**
     * Keras's {@code momentum}.
     *
     * @return the momentum of the moving statistics, 0.99 unless set
     */
    public float momentum() {
        return momentum;
    }

    /**
     * Keras's {@code moving_mean_initializer} and {@code moving_variance_initializer} (before the model is built).
     *
     * @param mean the moving mean's initializer (Keras: zeros); not null
     * @param variance the moving variance's initializer (Keras: ones); not null
     * @return this layer
     */
    public BatchNormalization movingInitializers(Initializer mean, Initializer variance) {
        checkNotBuilt();
        movingMeanInitializer = Objects.requireNonNull(mean, "BatchNormalization: argument 'mean' is null");
        movingVarianceInitializer = Objects.requireNonNull(variance, "BatchNormalization: argument 'variance' is null");
        return this;
    }

    @Override
    public String type() {
        return "BatchNormalization";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        writeAffineConfig(c);
        c.put("momentum", (double) momentum);
        c.put("moving_mean_initializer", LayerConfig.initializer(movingMeanInitializer));
        c.put("moving_variance_initializer", LayerConfig.initializer(movingVarianceInitializer));
        c.put("synchronized", false);
        return c;
    }

    @Override
    protected void build(int inputSize) {
        super.build(inputSize);
        movingMean = addWeight("moving_mean", 1, inputSize, movingMeanInitializer, null, false);
        movingVariance = addWeight("moving_variance", 1, inputSize, movingVarianceInitializer, null, false);
    }

    @Override
    protected Frame frame(int batch) {
        return statisticsFrame(batch, 1, inputSize());
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        StatisticsFrame f = (StatisticsFrame) frame;
        Backend b = x.backend();
        f.input = x;
        // Keras 3: batch statistics only when training a trainable layer; a frozen one runs in inference mode.
        f.batchStatistics = pass.training() && trainable();
        if (f.batchStatistics) {
            b.moments(Axis.PER_COLUMN, x, f.mean, f.variance);
            b.normalize(Axis.PER_COLUMN, epsilon(), 0f, x, f.mean, f.variance, gammaValue(), betaValue(), f.y);
            b.axpby(1f - momentum, f.mean, momentum, movingMean.value());
            b.axpby(1f - momentum, f.variance, momentum, movingVariance.value());
        } else {
            b.normalize(Axis.PER_COLUMN, epsilon(), 0f, x, movingMean.value(), movingVariance.value(), gammaValue(),
                    betaValue(), f.y);
        }
        return f.y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        StatisticsFrame f = (StatisticsFrame) frame;
        Tensor mean = f.batchStatistics ? f.mean : movingMean.value();
        Tensor variance = f.batchStatistics ? f.variance : movingVariance.value();
        // dx overwrites dy: the kernel reads dy for the parameter gradients first.
        dy.backend().normalizeBackward(Axis.PER_COLUMN, f.batchStatistics, epsilon(), 0f, f.input, mean, variance,
                gammaValue(), dy, gammaGradient(), betaGradient(), dy);
        return pass.needInputGradient() ? dy : null;
    }

    @Override
    public String toString() {
        return "BatchNormalization(momentum=" + momentum + ", epsilon=" + epsilon() + ")";
    }
}
