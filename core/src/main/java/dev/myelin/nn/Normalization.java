package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Axis;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras {@code Normalization} ({@code keras.layers.Normalization}, {@code axis=-1}), the preprocessing layer that
 * standardizes each feature: {@code y = (x - mean) / max(sqrt(variance), 1e-7)}, the same in training and
 * inference, where 1e-7 is Keras's {@code backend.epsilon()}. The mean and variance are given, or computed
 * from data by {@link #adapt(FloatMatrix)} (per feature, in double, the biased variance as numpy's {@code var});
 * a layer neither adapted nor given them normalizes with mean 0 and variance 1 (the identity), as Keras's.
 *
 * <p>Weights: {@code mean} and {@code variance}, {@code [1 x features]}, non-trainable, so a saved model keeps
 * them (Keras's int {@code count} weight is not kept).
 *
 * <p>{@link #invert(boolean) Inverted} (Keras's {@code invert=True}) the layer undoes the standardization:
 * {@code y = mean + x * d} with {@code d = max(sqrt(variance), 1e-7)}. The backends have no square root
 * of their own, so it is computed as {@code x / (1 / d)} with {@code 1 / d} from the normalize op: within
 * about one unit in the last place of Keras's product.
 */
public final class Normalization extends Layer {

    /** Keras's {@code backend.epsilon()}: the least standard deviation divided by. */
    static final float EPSILON = 1e-7f;

    /** Given (constructor or config) or adapted values not yet on the device; may hold one value to broadcast. */
    private float[] pendingMean;
    private float[] pendingVariance;
    /** Whether the values came from the constructor (Keras keeps them in the config). */
    private final boolean given;
    private Parameter mean;
    private Parameter variance;
    private boolean invert;

    /** A layer to be adapted with {@link #adapt(FloatMatrix)} (or loaded from a model file). */
    public Normalization() {
        super(null);
        given = false;
    }

    /**
     * A layer with the given per-feature statistics (Keras's {@code mean=}, {@code variance=}); one value each
     * broadcasts to every feature.
     *
     * @param mean the means, one per feature or a single value; finite
     * @param variance the variances, as many as {@code mean}; finite and {@code >= 0}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the lengths differ, are 0, or a value is out of range
     */
    public Normalization(float[] mean, float[] variance) {
        super(null);
        Objects.requireNonNull(mean, "Normalization: argument 'mean' is null");
        Objects.requireNonNull(variance, "Normalization: argument 'variance' is null");
        if (mean.length == 0 || mean.length != variance.length) {
            throw new IllegalArgumentException("Normalization: arguments 'mean' and 'variance' must have the same"
                    + " non-zero length, got " + mean.length + " and " + variance.length);
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("Normalization: argument 'mean' must be finite, got " + mean[i]
                        + " at index " + i);
            }
            if (!(variance[i] >= 0f && Float.isFinite(variance[i]))) {
                throw new IllegalArgumentException("Normalization: argument 'variance' must be finite and >= 0, got "
                        + variance[i] + " at index " + i);
            }
        }
        pendingMean = mean.clone();
        pendingVariance = variance.clone();
        given = true;
    }

    /**
     * Rebuilds a layer from its {@link #config()}.
     *
     * @param c the config: {@code axis} (-1 only), {@code mean} and {@code variance} (lists of numbers, or
     *     null when the layer is adapted), {@code invert} (a boolean, false if absent), plus the base keys
     * @return the rebuilt layer
     * @throws IllegalArgumentException if a value is of the wrong type or unsupported
     */
    public static Normalization fromConfig(Map<String, Object> c) {
        boolean invert = LayerConfig.bool(c, "invert", false, "Normalization");
        LayerConfig.requireLastAxis(c, "Normalization");
        float[] m = floats(c, "mean");
        float[] v = floats(c, "variance");
        if ((m == null) != (v == null)) {
            throw new IllegalArgumentException("Normalization config: keys 'mean' and 'variance' must be given"
                    + " together, got mean=" + c.get("mean") + ", variance=" + c.get("variance"));
        }
        return (m == null ? new Normalization() : new Normalization(m, v)).invert(invert).withBaseConfig(c);
    }

    private static float[] floats(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return new float[] {n.floatValue()};
        }
        if (v instanceof List<?> list) {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException("Normalization config: key '" + key + "' must hold numbers, got "
                            + list.get(i) + " at index " + i);
                }
                out[i] = n.floatValue();
            }
            return out;
        }
        throw new IllegalArgumentException("Normalization config: key '" + key + "' must be a list of numbers, got " + v);
    }

    /**
     * Keras's {@code adapt}: sets the mean and the biased variance of each column of {@code data}, computed in
     * double. Before the model is built the values wait for the build, which then requires {@code data}'s
     * width; after, they replace the weights at once.
     *
     * @param data the samples, one per row, one feature per column; at least one row, all values finite
     * @return this layer
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalArgumentException if {@code data} has no rows, holds a NaN or infinity, or (built layer)
     *     its width is not the layer's
     */
    public Normalization adapt(FloatMatrix data) {
        Objects.requireNonNull(data, "Normalization.adapt: argument 'data' is null");
        int rows = data.rows();
        int cols = data.cols();
        if (rows < 1) {
            throw new IllegalArgumentException("Normalization.adapt: argument 'data' must have at least one row, got "
                    + rows + " x " + cols);
        }
        if (isBuilt() && cols != inputSize()) {
            throw new IllegalArgumentException("Normalization.adapt: argument 'data' must have " + inputSize()
                    + " columns (the layer was built for " + inputSize() + " features), got " + cols);
        }
        float[] x = data.data();
        double[] sum = new double[cols];
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("Normalization.adapt: argument 'data' holds " + x[i] + " at row "
                        + i / cols + ", column " + i % cols);
            }
            sum[i % cols] += x[i];
        }
        double[] sq = new double[cols];
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - sum[i % cols] / rows;
            sq[i % cols] += d * d;
        }
        float[] m = new float[cols];
        float[] v = new float[cols];
        for (int c = 0; c < cols; c++) {
            m[c] = (float) (sum[c] / rows);
            v[c] = (float) (sq[c] / rows);
        }
        if (isBuilt()) {
            mean.value().copyFrom(m);
            variance.value().copyFrom(v);
        } else {
            pendingMean = m;
            pendingVariance = v;
        }
        return this;
    }

    /**
     * Names the layer (before the model is built).
     *
     * @param name the layer's name
     * @return this layer
     */
    public Normalization name(String name) {
        rename(name);
        return this;
    }

    /**
     * Keras's {@code invert}: when true the layer maps standardized values back,
     * {@code y = mean + x * max(sqrt(variance), 1e-7)} (set before the model is built).
     *
     * @param invert whether to undo the standardization instead of applying it
     * @return this layer
     * @throws IllegalStateException if the layer is already built
     */
    public Normalization invert(boolean invert) {
        checkNotBuilt();
        this.invert = invert;
        return this;
    }

    /**
     * Whether the layer undoes the standardization ({@link #invert(boolean)}).
     *
     * @return Keras's {@code invert}
     */
    public boolean inverted() {
        return invert;
    }

    @Override
    public String type() {
        return "Normalization";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("axis", -1);
        c.put("invert", invert);
        c.put("mean", given ? list(pendingMean) : null);
        c.put("variance", given ? list(pendingVariance) : null);
        return c;
    }

    private static List<Object> list(float[] v) {
        List<Object> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add((double) f);
        }
        return out;
    }

    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    protected void build(int inputSize) {
        float[] m = pendingMean;
        float[] v = pendingVariance;
        if (m != null && m.length != 1 && m.length != inputSize) {
            throw new IllegalStateException("Normalization '" + name() + "': its mean and variance have " + m.length
                    + " features (" + (given ? "given" : "from adapt") + "), the model gives it " + inputSize
                    + " inputs");
        }
        mean = addWeight("mean", 1, inputSize, Initializer.zeros(), null, false);
        variance = addWeight("variance", 1, inputSize, Initializer.ones(), null, false);
        if (m != null) {
            mean.value().copyFrom(broadcast(m, inputSize));
            variance.value().copyFrom(broadcast(v, inputSize));
        }
        if (!given) {
            pendingMean = null;
            pendingVariance = null;
        }
    }

    private static float[] broadcast(float[] v, int n) {
        if (v.length == n) {
            return v;
        }
        float[] out = new float[n];
        Arrays.fill(out, v[0]);
        return out;
    }

    @Override
    protected Frame frame(int batch) {
        Tensor y = backend().tensor(batch, inputSize());
        if (!invert) {
            return new NormalizationFrame(y, null, null, null);
        }
        float[] ones = new float[inputSize()];
        Arrays.fill(ones, 1f);
        return new NormalizationFrame(y, backend().tensor(1, inputSize()), backend().tensor(1, inputSize(), ones),
                backend().tensor(1, inputSize(), new float[inputSize()]));
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        NormalizationFrame f = (NormalizationFrame) frame;
        f.input = x;
        if (invert) {
            // 1 / d = (1 - 0) / max(sqrt(variance), 1e-7), then y = x / (1 / d) + mean.
            x.backend().normalize(Axis.PER_COLUMN, 0f, EPSILON, f.ones, f.zeros, variance.value(), null, null,
                    f.inverseD);
            x.backend().binary(BinaryOp.DIV, x, f.inverseD, f.y);
            x.backend().binary(BinaryOp.ADD, f.y, mean.value(), f.y);
            return f.y;
        }
        x.backend().normalize(Axis.PER_COLUMN, 0f, EPSILON, x, mean.value(), variance.value(), null, null, f.y);
        return f.y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        if (!pass.needInputGradient()) {
            return null;
        }
        NormalizationFrame f = (NormalizationFrame) frame;
        if (invert) {
            dy.backend().binary(BinaryOp.DIV, dy, f.inverseD, dy);
            return dy;
        }
        dy.backend().normalizeBackward(Axis.PER_COLUMN, false, 0f, EPSILON, f.input, mean.value(), variance.value(),
                null, dy, null, null, dy);
        return dy;
    }

    /** The per-call buffers: the output and, inverted, {@code 1 / d} and the constant rows it is made from. */
    private static final class NormalizationFrame extends Frame {
        final Tensor y;
        final Tensor inverseD;
        final Tensor ones;
        final Tensor zeros;
        Tensor input;

        NormalizationFrame(Tensor y, Tensor inverseD, Tensor ones, Tensor zeros) {
            super(inverseD == null ? new Tensor[] {y} : new Tensor[] {y, inverseD, ones, zeros});
            this.y = y;
            this.inverseD = inverseD;
            this.ones = ones;
            this.zeros = zeros;
        }
    }

    @Override
    public String toString() {
        return invert ? "Normalization(invert=true)" : "Normalization()";
    }
}
