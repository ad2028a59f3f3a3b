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

    /**
     * An optimizer whose rule reads {@code coefficients} values per step.
     *
     * @param learningRate the learning rate, positive
     * @param coefficients the length of {@link #c}
     */
    protected Optimizer(float learningRate, int coefficients) {
        this.learningRate = checkPositive("learning_rate", learningRate);
        this.c = new float[coefficients];
    }

    /**
     * Keras names: sgd, rmsprop, adagrad, adadelta, adam, adamax, nadam (with Keras's defaults).
     *
     * @param name a Keras optimizer name
     * @return a new optimizer
     */
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

    /**
     * The learning rate.
     *
     * @return the learning rate
     */
    public final float learningRate() {
        return learningRate;
    }

    /**
     * Sets the learning rate; takes effect at the next step.
     *
     * @param lr the learning rate, positive
     * @return this optimizer
     */
    public final Optimizer learningRate(float lr) {
        this.learningRate = checkPositive("learning_rate", lr);
        return this;
    }

    /**
     * The Keras name of this optimizer.
     *
     * @return the name
     */
    public abstract String name();

    /**
     * The fused rule this optimizer runs.
     *
     * @return the rule
     */
    public abstract UpdateRule rule();

    /**
     * Computes {@link #c} for step {@code t} (1 for the first update); called once per step.
     *
     * @param t the step, from 1
     */
    protected abstract void prepare(long t);

    /**
     * Sets the state slots of a fresh parameter (zeros unless the optimizer says otherwise).
     *
     * @param b the backend the parameter lives on
     * @param slots the rule's state tensors, shaped like the parameter
     */
    protected void initSlots(Backend b, Tensor[] slots) {
        for (Tensor s : slots) {
            b.fill(s, 0f);
        }
    }

    /** Forgets the step-dependent state (a fresh start after the slots are re-initialised). */
    protected void reset() {
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
