package dev.myelin.nn;

import dev.myelin.spi.CounterRandom;
import java.util.Locale;

/**
 * Keras weight initializers, computed on the host from a seed so that the same seed gives the same
 * weights on every backend. Random values come from {@link CounterRandom} (element {@code i} depends
 * only on the seed and {@code i}).
 *
 * <p>Variance scaling (glorot/he/lecun) follows Keras 3: {@code n} is fan_in, fan_out or their mean;
 * uniform draws from {@code [-sqrt(3 scale / n), sqrt(3 scale / n))}; normal draws a normal truncated at two
 * standard deviations with {@code stddev = sqrt(scale / n) / 0.87962566103423978} (the standard deviation
 * of a unit normal truncated at +-2, so the result has variance {@code scale / n}).
 */
public sealed interface Initializer {

    /**
     * Values for a parameter of {@code fanIn x fanOut} elements (a bias has fanIn = fanOut = its length).
     *
     * @param fanIn the number of inputs
     * @param fanOut the number of outputs
     * @param size the number of values
     * @param seed the seed
     * @return {@code size} values
     */
    float[] generate(int fanIn, int fanOut, int size, long seed);

    /**
     * The Keras name.
     *
     * @return the name
     */
    String name();

    /**
     * Every value {@code value}.
     *
     * @param value the value, finite
     */
    record Constant(float value) implements Initializer {
        /** Checks that {@code value} is finite. */
        public Constant {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("constant initializer: argument 'value' must be finite, got " + value);
            }
        }

        @Override
        public float[] generate(int fanIn, int fanOut, int size, long seed) {
            float[] out = new float[size];
            java.util.Arrays.fill(out, value);
            return out;
        }

        @Override
        public String name() {
            return value == 0f ? "zeros" : value == 1f ? "ones" : "constant";
        }
    }

    /**
     * Uniform in [{@code minval}, {@code maxval}).
     *
     * @param minval the lower bound, finite
     * @param maxval the upper bound, finite and above {@code minval}
     */
    record RandomUniform(float minval, float maxval) implements Initializer {
        /** Checks the bounds. */
        public RandomUniform {
            if (!(minval < maxval) || !Float.isFinite(minval) || !Float.isFinite(maxval)) {
                throw new IllegalArgumentException("random_uniform initializer: arguments 'minval' < 'maxval' must be"
                        + " finite, got minval=" + minval + ", maxval=" + maxval);
            }
        }

        @Override
        public float[] generate(int fanIn, int fanOut, int size, long seed) {
            float[] out = new float[size];
            for (int i = 0; i < size; i++) {
                out[i] = minval + (maxval - minval) * CounterRandom.uniform(seed, i);
            }
            return out;
        }

        @Override
        public String name() {
            return "random_uniform";
        }
    }

    /**
     * Normal with {@code mean} and {@code stddev}; {@code truncated} redraws values beyond two stddevs.
     *
     * @param mean the mean, finite
     * @param stddev the standard deviation, finite and non-negative
     * @param truncated whether to redraw values beyond two standard deviations
     */
    record RandomNormal(float mean, float stddev, boolean truncated) implements Initializer {
        /** Checks the parameters. */
        public RandomNormal {
            if (!(stddev >= 0f) || !Float.isFinite(stddev) || !Float.isFinite(mean)) {
                throw new IllegalArgumentException("random_normal initializer: argument 'stddev' must be finite and"
                        + " >= 0 (and 'mean' finite), got mean=" + mean + ", stddev=" + stddev);
            }
        }

        @Override
        public float[] generate(int fanIn, int fanOut, int size, long seed) {
            float[] out = new float[size];
            for (int i = 0; i < size; i++) {
                out[i] = mean + stddev * (truncated ? truncatedUnitNormal(seed, i, size) : CounterRandom.normal(seed, i));
            }
            return out;
        }

        @Override
        public String name() {
            return truncated ? "truncated_normal" : "random_normal";
        }
    }

    /**
     * Keras VarianceScaling: {@code mode} is fan_in, fan_out or fan_avg.
     *
     * @param name the Keras name
     * @param scale the variance's scale
     * @param mode {@code fan_in}, {@code fan_out} or {@code fan_avg}
     * @param uniform uniform when true, truncated normal when false
     */
    record VarianceScaling(String name, double scale, String mode, boolean uniform) implements Initializer {
        /** Checks the scale and the mode. */
        public VarianceScaling {
            if (!(scale > 0)) {
                throw new IllegalArgumentException(name + " initializer: argument 'scale' must be > 0, got " + scale);
            }
            if (!mode.equals("fan_in") && !mode.equals("fan_out") && !mode.equals("fan_avg")) {
                throw new IllegalArgumentException(name + " initializer: argument 'mode' must be fan_in, fan_out or"
                        + " fan_avg, got '" + mode + "'");
            }
        }

        @Override
        public float[] generate(int fanIn, int fanOut, int size, long seed) {
            double n = switch (mode) {
                case "fan_in" -> fanIn;
                case "fan_out" -> fanOut;
                default -> (fanIn + fanOut) / 2.0;
            };
            n = Math.max(1.0, n);
            float[] out = new float[size];
            if (uniform) {
                double limit = Math.sqrt(3.0 * scale / n);
                for (int i = 0; i < size; i++) {
                    out[i] = (float) (-limit + 2 * limit * CounterRandom.uniform(seed, i));
                }
            } else {
                double stddev = Math.sqrt(scale / n) / 0.87962566103423978;
                for (int i = 0; i < size; i++) {
                    out[i] = (float) (stddev * truncatedUnitNormal(seed, i, size));
                }
            }
            return out;
        }
    }

    /** Element {@code i} of a unit normal truncated at +-2: draws {@code i}, {@code i + size}, ... until one fits. */
    private static float truncatedUnitNormal(long seed, int i, int size) {
        for (long k = i; ; k += size) {
            float z = CounterRandom.normal(seed, k);
            if (Math.abs(z) <= 2f) {
                return z;
            }
        }
    }

    /**
     * Keras {@code zeros}.
     *
     * @return the initializer
     */
    static Initializer zeros() {
        return new Constant(0f);
    }

    /**
     * Keras {@code ones}.
     *
     * @return the initializer
     */
    static Initializer ones() {
        return new Constant(1f);
    }

    /**
     * Keras {@code Constant(value)}.
     *
     * @param value the value, finite
     * @return the initializer
     */
    static Initializer constant(float value) {
        return new Constant(value);
    }

    /**
     * Keras defaults: minval -0.05, maxval 0.05.
     *
     * @return the initializer
     */
    static Initializer randomUniform() {
        return new RandomUniform(-0.05f, 0.05f);
    }

    /**
     * Keras defaults: mean 0, stddev 0.05.
     *
     * @return the initializer
     */
    static Initializer randomNormal() {
        return new RandomNormal(0f, 0.05f, false);
    }

    /**
     * Keras defaults: mean 0, stddev 0.05, redrawn beyond two stddevs.
     *
     * @return the initializer
     */
    static Initializer truncatedNormal() {
        return new RandomNormal(0f, 0.05f, true);
    }

    /**
     * Keras {@code glorot_uniform}, the default for kernels.
     *
     * @return the initializer
     */
    static Initializer glorotUniform() {
        return new VarianceScaling("glorot_uniform", 1.0, "fan_avg", true);
    }

    /**
     * Keras {@code glorot_normal}.
     *
     * @return the initializer
     */
    static Initializer glorotNormal() {
        return new VarianceScaling("glorot_normal", 1.0, "fan_avg", false);
    }

    /**
     * Keras {@code he_uniform}.
     *
     * @return the initializer
     */
    static Initializer heUniform() {
        return new VarianceScaling("he_uniform", 2.0, "fan_in", true);
    }

    /**
     * Keras {@code he_normal}.
     *
     * @return the initializer
     */
    static Initializer heNormal() {
        return new VarianceScaling("he_normal", 2.0, "fan_in", false);
    }

    /**
     * Keras {@code lecun_uniform}.
     *
     * @return the initializer
     */
    static Initializer lecunUniform() {
        return new VarianceScaling("lecun_uniform", 1.0, "fan_in", true);
    }

    /**
     * Keras {@code lecun_normal}.
     *
     * @return the initializer
     */
    static Initializer lecunNormal() {
        return new VarianceScaling("lecun_normal", 1.0, "fan_in", false);
    }

    /**
     * Looks up a Keras initializer name with its defaults.
     *
     * @param name a Keras initializer name
     * @return the initializer
     */
    static Initializer of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "zeros", "zero" -> zeros();
            case "ones", "one" -> ones();
            case "constant" -> constant(0f);
            case "random_uniform", "uniform" -> randomUniform();
            case "random_normal", "normal" -> randomNormal();
            case "truncated_normal" -> truncatedNormal();
            case "glorot_uniform" -> glorotUniform();
            case "glorot_normal" -> glorotNormal();
            case "he_uniform" -> heUniform();
            case "he_normal" -> heNormal();
            case "lecun_uniform" -> lecunUniform();
            case "lecun_normal" -> lecunNormal();
            default -> throw new IllegalArgumentException("argument 'initializer': unknown initializer '" + name
                    + "', expected one of [zeros, ones, constant, random_uniform, random_normal, truncated_normal,"
                    + " glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal]");
        };
    }
}
