package dev.myelin.nn;

import dev.myelin.nn.schedules.LearningRateSchedule;
import dev.myelin.nn.schedules.ScheduleConfig;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Keras 3 optimizer: the host computes the step-dependent coefficients of its fused
 * {@link UpdateRule} once per step ({@link #prepare(long)}), then each parameter tensor is updated by
 * one {@link Backend#optimizerUpdate} call. Subclasses hold Keras's hyperparameters and defaults.
 *
 * <p>Every optimizer takes Keras 3's {@code BaseOptimizer} options ({@link OptimizerOptions}):
 * {@code clipnorm}, {@code clipvalue}, {@code global_clipnorm} (one at a time), {@code weight_decay}
 * (decoupled: {@code w -= w * weight_decay * lr} before the update), {@code use_ema} with
 * {@code ema_momentum} and {@code ema_overwrite_frequency}, and a learning-rate schedule evaluated at
 * the optimizer's iteration count. Options that add state ({@code use_ema}, Adam's {@code amsgrad})
 * are set before {@code compile}, which creates the state.
 */
public abstract class Optimizer extends OptimizerOptions {

    private float learningRate;
    private LearningRateSchedule schedule;
    /** The learning rate of the step being prepared (the schedule's value at the iteration count). */
    private float current;
    /** The coefficients of the current step; reused so a step allocates nothing. */
    protected final float[] c;

    /**
     * Creates an optimizer with a fixed learning rate and room for the rule's per-step coefficients.
     *
     * @param learningRate Keras's {@code learning_rate}; finite and &gt; 0
     * @param coefficients the number of step-dependent coefficients {@link #prepare(long)} fills in {@link #c}
     * @throws IllegalArgumentException when {@code learningRate} is not finite and &gt; 0
     */
    protected Optimizer(float learningRate, int coefficients) {
        this.learningRate = checkPositive("learning_rate", learningRate);
        this.current = this.learningRate;
        this.c = new float[coefficients];
    }

    /**
     * Keras names: sgd, rmsprop, adagrad, adadelta, adam, adamw, adamax, nadam (with Keras's defaults).
     *
     * @param name the optimizer's Keras name, case-insensitive, surrounding blanks ignored
     * @return a new optimizer of that kind with Keras's default hyperparameters
     * @throws IllegalArgumentException when {@code name} is null or not one of the names above
     */
    public static Optimizer of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "sgd" -> new SGD();
            case "rmsprop" -> new RMSprop();
            case "adagrad" -> new Adagrad();
            case "adadelta" -> new Adadelta();
            case "adam" -> new Adam();
            case "adamw" -> new AdamW();
            case "adamax" -> new Adamax();
            case "nadam" -> new Nadam();
            default -> throw new IllegalArgumentException("argument 'optimizer': unknown optimizer '" + name
                    + "', expected one of [sgd, rmsprop, adagrad, adadelta, adam, adamw, adamax, nadam]");
        };
    }

    /**
     * The learning rate of the current step: the fixed rate, or the schedule's value at the step being
     * prepared (before the first step, at step 0).
     *
     * @return the learning rate in use, finite and &gt;= 0
     */
    public final float learningRate() {
        return current;
    }

    /**
     * Sets a fixed learning rate (replacing any schedule); takes effect at the next step.
     *
     * @param lr Keras's {@code learning_rate}; finite and &gt; 0
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException when {@code lr} is not finite and &gt; 0
     */
    public final Optimizer learningRate(float lr) {
        this.learningRate = checkPositive("learning_rate", lr);
        this.schedule = null;
        this.current = learningRate;
        return this;
    }

    /**
     * Keras's {@code learning_rate=schedule}: the rate of each step is {@code schedule.at(iterations)}.
     *
     * @param schedule gives the learning rate at each iteration count; not null, its values finite and &gt;= 0
     * @return this optimizer, for chaining
     * @throws NullPointerException when {@code schedule} is null
     * @throws IllegalStateException when the schedule's rate at step 0 is negative, NaN or infinite
     */
    public final Optimizer learningRate(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "learningRate: argument 'schedule' is null");
        this.current = scheduled(0);
        return this;
    }

    /**
     * The schedule, or null for a fixed learning rate.
     *
     * @return the learning-rate schedule set by {@link #learningRate(LearningRateSchedule)}, or null
     */
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    /**
     * Refuses, naming {@code who}, an optimizer whose rate comes from a schedule: a callback cannot set it
     * (Keras cannot set the learning rate of a scheduled optimizer either).
     */
    final void requireFixedLearningRate(String who) {
        if (schedule != null) {
            throw new IllegalStateException(who + ": the optimizer's learning rate follows the schedule " + schedule
                    + ", which a callback cannot change; compile with a fixed learning rate to use " + who);
        }
    }

    /**
     * Sets the fixed learning rate between steps, from {@code who} (a callback); the next step's fused update
     * uses it. Refused for a scheduled optimizer, or a rate that is not finite and &gt; 0.
     */
    final void changeLearningRate(String who, double lr) {
        requireFixedLearningRate(who);
        float f = (float) lr;
        if (!(f > 0f) || !Float.isFinite(f)) {
            throw new IllegalArgumentException(who + ": the new learning rate must be finite and > 0 (as a float), got "
                    + lr);
        }
        learningRate(f);
    }

    /** Sets {@link #learningRate()} for the update after {@code iterations} updates. */
    final void beginStep(long iterations) {
        current = schedule == null ? learningRate : scheduled(iterations);
    }

    private float scheduled(long step) {
        double lr = schedule.at(step);
        if (!(lr >= 0) || !Double.isFinite(lr)) {
            throw new IllegalStateException("optimizer: the learning-rate schedule gave " + lr + " at step " + step
                    + "; expected a finite rate >= 0");
        }
        return (float) lr;
    }

    /**
     * Keras's {@code get_config}: the learning rate (a number, or a built-in schedule in Keras's serialized
     * form), the {@code BaseOptimizer} options (null when unset) and the hyperparameters, as JSON-able values.
     *
     * @return a new mutable map from Keras's argument names ({@code learning_rate}, ...) to their values
     */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        Map<String, Object> scheduled = schedule == null ? null : ScheduleConfig.toConfig(schedule);
        c.put("learning_rate", scheduled != null ? scheduled : (Object) (double) learningRate);
        putOptions(c);
        return c;
    }

    /**
     * Rebuilds an optimizer from its Keras name and {@link #config()}; absent keys take Keras's defaults.
     *
     * @param name the optimizer's Keras name, as for {@link #of(String)}
     * @param config the hyperparameters by Keras name, as from {@link #config()}; not null
     * @return a new optimizer of that kind with those hyperparameters
     * @throws IllegalArgumentException when the name is unknown or a value is of the wrong type or out of range
     */
    public static Optimizer fromConfig(String name, Map<String, Object> config) {
        String t = "optimizer " + name;
        Optimizer d = of(name);
        Object rate = config.get("learning_rate");
        float lr = rate instanceof Map<?, ?> ? d.learningRate() : LayerConfig.number(config, "learning_rate",
                d.learningRate(), t);
        Optimizer o = rule(d.name(), config, lr, t);
        if (rate instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> serialized = (Map<String, Object>) m;
            o.learningRate(ScheduleConfig.fromConfig(serialized));
        }
        o.takeOptions(config, t);
        return o;
    }

    /** The optimizer of Keras name {@code name} with the hyperparameters of {@code config}. */
    private static Optimizer rule(String name, Map<String, Object> config, float lr, String t) {
        float eps = LayerConfig.number(config, "epsilon", 1e-7f, t);
        float b1 = LayerConfig.number(config, "beta_1", 0.9f, t);
        float b2 = LayerConfig.number(config, "beta_2", 0.999f, t);
        return switch (name) {
            case "sgd" -> new SGD(lr, LayerConfig.number(config, "momentum", 0f, t),
                    LayerConfig.bool(config, "nesterov", false, t));
            case "rmsprop" -> new RMSprop(lr, LayerConfig.number(config, "rho", 0.9f, t),
                    LayerConfig.number(config, "momentum", 0f, t), eps, LayerConfig.bool(config, "centered", false, t));
            case "adagrad" -> new Adagrad(lr, LayerConfig.number(config, "initial_accumulator_value", 0.1f, t), eps);
            case "adadelta" -> new Adadelta(lr, LayerConfig.number(config, "rho", 0.95f, t), eps);
            case "adam" -> new Adam(lr, b1, b2, eps).amsgrad(LayerConfig.bool(config, "amsgrad", false, t));
            // AdamW's weight_decay is one of the options; absent, it is AdamW's default (null: none).
            case "adamw" -> new AdamW(lr, config.containsKey("weight_decay")
                    ? LayerConfig.number(config, "weight_decay", 0f, t) : 0.004f, b1, b2, eps).amsgrad(LayerConfig.bool(config, "amsgrad", false, t));
            case "adamax" -> new Adamax(lr, b1, b2, eps);
            case "nadam" -> new Nadam(lr, b1, b2, eps);
            // A new optimizer must say how it is rebuilt; falling back to another rule would train differently.
            default -> throw new IllegalArgumentException(t + ": cannot be rebuilt from a config (only sgd, rmsprop,"
                    + " adagrad, adadelta, adam, adamw, adamax and nadam are written to model files), got " + config);
        };
    }

    /**
     * The Keras name of this optimizer.
     *
     * @return the lower-case Keras name, as accepted by {@link #of(String)}
     */
    public abstract String name();

    /**
     * The fused rule this optimizer runs.
     *
     * @return the update rule passed to {@link Backend#optimizerUpdate} for every parameter
     */
    public abstract UpdateRule rule();

    /**
     * Computes {@link #c} for step {@code t} (1 for the first update); called once per step.
     *
     * @param t the 1-based number of the update being prepared (Keras's {@code iterations + 1})
     */
    protected abstract void prepare(long t);

    /**
     * Sets the state slots of a fresh parameter (zeros unless the optimizer says otherwise).
     *
     * @param b the backend that holds the slots
     * @param slots the parameter's state tensors, in the order of the rule's slots, each shaped like it
     */
    protected void initSlots(Backend b, Tensor[] slots) {
        for (Tensor s : slots) {
            b.fill(s, 0f);
        }
    }

    /** Forgets the step-dependent state (a fresh start after the slots are re-initialised). */
    protected void reset() {
        beginStep(0);
    }

    /**
     * One update of every parameter after {@code iterations} earlier ones, in Keras 3's order
     * ({@code BaseOptimizer.apply}): the learning rate at {@code iterations}, the gradients clipped
     * (the norms reduced on the device first), the decoupled weight decay and the rule's update in one
     * fused kernel per parameter, then the moving averages and their periodic overwrite. Nothing is read
     * back to the host.
     */
    final void apply(Parameter[] params, long iterations) {
        beginStep(iterations);
        prepare(iterations + 1);
        float decay = weightDecay() == 0f ? 0f : weightDecay() * learningRate();
        GradientClip clip = clip();
        Tensor global = null;
        if (clip == GradientClip.GLOBAL_NORM && params.length > 0) {
            global = params[0].total();
            Backend b = global.backend();
            b.fill(global, 0f);
            for (Parameter p : params) {
                b.binary(BinaryOp.ADD, global, p.sumOfSquares(), global);
            }
        }
        for (Parameter p : params) {
            p.update(this, clip == GradientClip.NORM ? p.sumOfSquares() : global, decay);
        }
        if (useEma()) {
            // Keras's first update copies the weights (momentum 0 while iterations is 0).
            float momentum = iterations == 0 ? 0f : emaMomentum();
            int every = emaOverwriteFrequency();
            boolean overwrite = every > 0 && (iterations + 1) % every == 0;
            for (Parameter p : params) {
                p.updateAverage(momentum);
                if (overwrite) {
                    p.overwriteWithAverage();
                }
            }
        }
    }

    /**
     * Keras's {@code finalize_variable_values} at the end of fit: with {@code use_ema} (and at least one
     * update taken), the weights become their moving averages.
     */
    final void finish(Parameter[] params, long iterations) {
        if (useEma() && iterations > 0) {
            for (Parameter p : params) {
                p.overwriteWithAverage();
            }
        }
    }

    /**
     * Keras's names of every state slot a parameter holds, in slot order (for {@link OptimizerState}): the
     * rule's, then {@code average} with use_ema.
     */
    final String[] slotNames() {
        String[] rule = switch (rule()) {
            case SGD -> new String[0];
            case MOMENTUM, NESTEROV -> new String[] {"momentum"};
            case RMSPROP -> new String[] {"velocity", "momentum", "average_gradient"};
            case ADAGRAD -> new String[] {"accumulator"};
            case ADADELTA -> new String[] {"accumulated_grad", "accumulated_delta_var"};
            case ADAM, NADAM -> new String[] {"momentum", "velocity"};
            case AMSGRAD -> new String[] {"momentum", "velocity", "velocity_hat"};
            case ADAMAX -> new String[] {"momentum", "norm"};
        };
        if (!useEma()) {
            return rule;
        }
        String[] all = java.util.Arrays.copyOf(rule, rule.length + 1);
        all[rule.length] = "average";
        return all;
    }

    /**
     * Why a model file cannot carry this optimizer exactly (a user schedule, a variant that
     * {@link #config()} does not describe), or null when {@link #fromConfig} rebuilds it as it is.
     */
    final String notStorable() {
        if (schedule != null && schedule.config() == null) {
            return "a learning-rate schedule without a config (only Keras's built-in schedules are stored)";
        }
        Optimizer copy;
        try {
            copy = fromConfig(name(), config());
        } catch (IllegalArgumentException e) {
            // A user schedule with a config of its own, or a value out of range: a file could not rebuild it.
            return "a config that cannot be rebuilt (" + e.getMessage() + ")";
        }
        if (copy.getClass() != getClass() || copy.rule() != rule() || !copy.config().equals(config())) {
            return "the variant " + this;
        }
        return null;
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
        return name() + "(learning_rate=" + (schedule == null ? learningRate : schedule) + optionsString() + ")";
    }
}
