package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@link Sequential#fit} after {@code x} and {@code y}, with Keras's defaults:
 * batch size 32, 1 epoch, no validation, shuffling, verbose 1, initial epoch 0, validation every epoch.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(10).batchSize(128).validationSplit(0.1).verbose(2));
 * }</pre>
 */
public final class FitOptions {

    private int batchSize = 32;
    private int epochs = 1;
    private double validationSplit;
    private FloatMatrix validationX;
    private FloatMatrix validationY;
    private boolean shuffle = true;
    private final List<Callback> callbacks = new ArrayList<>();
    private int verbose = 1;
    private int initialEpoch;
    private int validationFreq = 1;
    private PrintStream out = System.out;

    /** Keras's defaults: batch size 32, 1 epoch, no validation, shuffling, verbose 1, initial epoch 0. */
    public FitOptions() {
    }

    /**
     * Sets the number of samples per gradient step.
     *
     * @param batchSize at least 1
     * @return these options
     */
    public FitOptions batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit: argument 'batch_size' must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * Sets the index of the last epoch plus one, as Keras's {@code epochs}: fit runs epochs
     * {@link #initialEpoch()} to {@code epochs - 1} (none when the initial epoch is not below it).
     *
     * @param epochs at least 0
     * @return these options
     */
    public FitOptions epochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("fit: argument 'epochs' must be >= 0, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /**
     * Keras's {@code initial_epoch}: the epoch to start at, for resuming a run. With
     * {@code epochs(5).initialEpoch(2)} fit runs epochs 2, 3 and 4; the history and the callbacks see those
     * numbers. The shuffled order of each epoch depends on the epochs the model has trained, not on this
     * number, so a model trained 2 epochs and then fit with {@code initialEpoch(2)} sees the orders one
     * 5-epoch fit would.
     *
     * @param initialEpoch the first epoch to run, at least 0
     * @return these options
     */
    public FitOptions initialEpoch(int initialEpoch) {
        if (initialEpoch < 0) {
            throw new IllegalArgumentException("fit: argument 'initial_epoch' must be >= 0, got " + initialEpoch);
        }
        this.initialEpoch = initialEpoch;
        return this;
    }

    /**
     * Keras's {@code validation_freq} as an int: validation runs after the epochs whose 1-based number is a
     * multiple of {@code freq} (every epoch by default). The other epochs' logs have no {@code val_} keys, so
     * their history lists are shorter, and a callback that monitors a {@code val_} key sees it missing on
     * those epochs (it warns and waits, as in Keras).
     *
     * @param freq the number of epochs between validations, at least 1
     * @return these options
     */
    public FitOptions validationFreq(int freq) {
        if (freq < 1) {
            throw new IllegalArgumentException("fit: argument 'validation_freq' must be >= 1, got " + freq);
        }
        this.validationFreq = freq;
        return this;
    }

    /**
     * The fraction of samples, taken from the end of {@code x} and {@code y} before shuffling, held out.
     *
     * @param split the fraction, in [0, 1)
     * @return these options
     */
    public FitOptions validationSplit(double split) {
        if (!(split >= 0 && split < 1)) {
            throw new IllegalArgumentException("fit: argument 'validation_split' must be in [0, 1), got " + split);
        }
        this.validationSplit = split;
        return this;
    }

    /**
     * Validation data (overrides {@link #validationSplit}, as in Keras).
     *
     * @param x the validation features
     * @param y the validation targets
     * @return these options
     */
    public FitOptions validationData(FloatMatrix x, FloatMatrix y) {
        this.validationX = Objects.requireNonNull(x, "fit: argument 'validation_data' x is null");
        this.validationY = Objects.requireNonNull(y, "fit: argument 'validation_data' y is null");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("fit: argument 'validation_data' must have as many targets as"
                    + " samples: x is [" + x.rows() + " x " + x.cols() + "], y is [" + y.rows() + " x " + y.cols() + "]");
        }
        return this;
    }

    /**
     * Sets whether the training samples are shuffled before each epoch.
     *
     * @param shuffle true to shuffle
     * @return these options
     */
    public FitOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /**
     * Sets the callbacks {@code fit} calls.
     *
     * @param callbacks the callbacks, in call order
     * @return these options
     */
    public FitOptions callbacks(Callback... callbacks) {
        for (Callback c : callbacks) {
            this.callbacks.add(Objects.requireNonNull(c, "fit: argument 'callbacks' holds null"));
        }
        return this;
    }

    /**
     * 0 silent, 1 progress bar (one line per epoch when the output is not a terminal), 2 one line per epoch.
     *
     * @param verbose 0, 1 or 2
     * @return these options
     */
    public FitOptions verbose(int verbose) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("fit: argument 'verbose' must be 0, 1 or 2, got " + verbose);
        }
        this.verbose = verbose;
        return this;
    }

    /**
     * Where progress goes (System.out by default).
     *
     * @param out the stream progress lines go to
     * @return these options
     */
    public FitOptions out(PrintStream out) {
        this.out = Objects.requireNonNull(out, "fit: argument 'out' is null");
        return this;
    }

    /**
     * The number of samples per gradient step.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The number of passes over the data.
     *
     * @return the epoch count
     */
    public int epochs() {
        return epochs;
    }

    /**
     * The first epoch fit runs.
     *
     * @return the initial epoch, 0 unless set
     */
    public int initialEpoch() {
        return initialEpoch;
    }

    /**
     * The number of epochs between validations.
     *
     * @return the validation frequency, 1 unless set
     */
    public int validationFreq() {
        return validationFreq;
    }

    /**
     * The fraction held out for validation.
     *
     * @return the fraction
     */
    public double validationSplit() {
        return validationSplit;
    }

    /**
     * The validation features, or null.
     *
     * @return the features
     */
    public FloatMatrix validationX() {
        return validationX;
    }

    /**
     * The validation targets, or null.
     *
     * @return the targets
     */
    public FloatMatrix validationY() {
        return validationY;
    }

    /**
     * Whether the training samples are shuffled before each epoch.
     *
     * @return true to shuffle
     */
    public boolean shuffle() {
        return shuffle;
    }

    /**
     * The callbacks {@code fit} calls.
     *
     * @return an unmodifiable list
     */
    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    /**
     * The verbosity: 0, 1 or 2.
     *
     * @return the verbosity
     */
    public int verbose() {
        return verbose;
    }

    /**
     * Where progress lines go.
     *
     * @return the stream
     */
    public PrintStream out() {
        return out;
    }
}
