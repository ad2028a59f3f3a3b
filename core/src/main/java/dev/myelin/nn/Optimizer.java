package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.spi.Backend;
import dev.myelin.spi.UpdateRule;
import java.util.Locale;

/**
 * A Keras 3 optimizer: the host computes the step-dependent coefficients of its fused
 * {@link UpdateRule} once per step ({@link #prepare(long)}), then each parameter tensor is updated by
 * one {@link Backend#optimizerUpdate} call. Subclasses hold Keras's hyperparameters and defaults.
 */
public abstract class Optimizer {

    private float learningRate;
    /** The coefficients of the current step; reused so a step allocates nothing. */
    protected final float[] c;

    protected Optimizer(float learningRate, int coefficients) {
        this.learningRate = checkPositive("learning_rate", learningRate);
        this.c = new float[coefficients];
    }

    /** Keras names: sgd, rmsprop, adagrad, adadelta, adam, adamax, nadam (with Keras's defaults). */
    public static Optimizer of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "sgd" -> new SGD();
            case "rmsprop" -> new RMSprop();
            case "adagrad" -> new Adagrad();
            case "adadelta" -> new Adadelta();
            case "adam" -> new Adam();
            case "adamax" -> new Adamax();
            case "nadam" -> new Nadam();
            default -> throw new IllegalArgumentException("argument 'optimizer': unknown optimizer '" + name
                    + "', expected one of [sgd, rmsprop, adagrad, adadelta, adam, adamax, nadam]");
        };
    }

    public final float learningRate() {
        return learningRate;
    }

    /** Sets the learning rate; takes effect at the next step. */
    public final Optimizer learningRate(float lr) {
        this.learningRate = checkPositive("learning_rate", lr);
        return this;
    }

    /** The Keras name of this optimizer. */
    public abstract String name();

    /** The fused rule this optimizer runs. */
    public abstract UpdateRule rule();

    /** Computes {@link #c} for step {@code t} (1 for the first update); called once per step. */
    protected abstract void prepare(long t);

    /** Sets the state slots of a fresh parameter (zeros unless the optimizer says otherwise). */
    protected void initSlots(Backend b, Tensor[] slots) {
        for (Tensor s : slots) {
            b.fill(s, 0f);
        }
    }

    /** Forgets the step-dependent state (a fresh start after the slots are re-initialised). */
    protected void reset() {
    }

    /** Keras's names of the state slots of {@link #rule()}, in slot order (for {@link OptimizerState}). */
    final String[] slotNames() {
        return switch (rule()) {
            case SGD -> new String[0];
            case MOMENTUM, NESTEROV -> new String[] {"momentum"};
            case RMSPROP -> new String[] {"velocity", "momentum", "average_gradient"};
            case ADAGRAD -> new String[] {"accumulator"};
            case ADADELTA -> new String[] {"accumulated_grad", "accumulated_delta_var"};
            case ADAM, NADAM -> new String[] {"momentum", "velocity"};
            case ADAMAX -> new String[] {"momentum", "norm"};
        };
    }

    /** The coefficients computed by the last {@link #prepare(long)}. */
    final float[] coefficients() {
        return c;
    }

    static float checkPositive(String arg, float v) {
        if (!(v > 0f) || !Float.isFinite(v)) {
            throw new IllegalArgumentException("optimizer: argument '" + arg + "' must be finite and > 0, got " + v);
        }
        return v;
    }

    static float checkUnit(String arg, float v) {
        if (!(v >= 0f && v < 1f)) {
            throw new IllegalArgumentException("optimizer: argument '" + arg + "' must be in [0, 1), got " + v);
        }
        return v;
    }

    static float checkNonNegative(String arg, float v) {
        if (!(v >= 0f) || !Float.isFinite(v)) {
            throw new IllegalArgumentException("optimizer: argument '" + arg + "' must be finite and >= 0, got " + v);
        }
        return v;
    }

    @Override
    public String toString() {
        return name() + "(learning_rate=" + learningRate + ")";
    }
}
