package dev.myelin.nn;

import dev.myelin.data.BatchSource;
import dev.myelin.data.FloatMatrix;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private ValidationData validation;
    private float[] sampleWeight;
    private Map<Integer, Number> classWeight;
    private int stepsPerEpoch;
    private boolean shuffle = true;
    private final List<Callback> callbacks = new ArrayList<>();
    private int verbose = 1;
    private int initialEpoch;
    private ValidationSchedule validationSchedule = ValidationSchedule.EVERY_EPOCH;
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
        this.validationSchedule = ValidationSchedule.every(freq);
        return this;
    }

    /**
     * Keras's {@code validation_freq} as a list: validation runs after the listed epochs only, numbered from
     * 1 as in Keras ({@code List.of(1, 5, 10)} validates after the first, fifth and tenth epoch); an empty
     * list never validates. Otherwise as {@link #validationFreq(int)}.
     *
     * @param epochs the 1-based numbers of the epochs to validate after, each at least 1
     * @return these options
     */
    public FitOptions validationFreq(List<Integer> epochs) {
        this.validationSchedule = ValidationSchedule.after(epochs);
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
        this.validation = ValidationData.ofMatrices(x, y);
        return this;
    }

    /**
     * Validation data with a weight per sample, Keras's {@code validation_data=(x, y, sample_weight)}: the
     * validation loss is weighted as the training loss is (the metrics are not, as in Keras).
     *
     * @param x the validation features
     * @param y the validation targets
     * @param sampleWeight one finite weight per row of {@code x}
     * @return these options
     */
    public FitOptions validationData(FloatMatrix x, FloatMatrix y, float[] sampleWeight) {
        this.validation = ValidationData.ofMatrices(x, y).weighted(sampleWeight);
        return this;
    }

    /**
     * Validation data streamed from a source (with its sample weights, if it has them); overrides
     * {@link #validationSplit} and any validation matrices.
     *
     * @param source the validation data, with targets
     * @return these options
     */
    public FitOptions validationData(BatchSource source) {
        this.validation = ValidationData.ofSource(source);
        return this;
    }

    /**
     * Keras's {@code sample_weight}: a weight per training sample, one per row of {@code x}. Each sample's
     * loss and its gradient are multiplied by its weight; the batch loss stays the weighted sum divided by
     * the batch size (Keras's "sum_over_batch_size", not a weighted mean). The compiled metrics are not
     * weighted (Keras weights only {@code weighted_metrics}). Held out with the samples by
     * {@link #validationSplit}, where it weights the validation loss. Not with {@link #classWeight}.
     *
     * @param weights one finite weight per row of {@code x} (checked by fit); negative weights are allowed
     * @return these options
     */
    public FitOptions sampleWeight(float[] weights) {
        Objects.requireNonNull(weights, "fit: argument 'sample_weight' is null");
        SampleWeights.checkFinite("fit", "sample_weight", weights, weights.length, 0);
        this.sampleWeight = weights;
        return this;
    }

    /**
     * Keras's {@code class_weight}: a weight per class, turned into a weight per training sample from its
     * target (the argmax of a one-hot or probability row, or the single target rounded: a class index or a
     * 0/1 label); classes not in the map weigh 1. Then as {@link #sampleWeight}. Training only: validation is
     * not weighted by class, as in Keras. Not with {@link #sampleWeight} or a source with its own weights.
     *
     * @param weights class index (0 or more) to finite weight
     * @return these options
     */
    public FitOptions classWeight(Map<Integer, ? extends Number> weights) {
        Objects.requireNonNull(weights, "fit: argument 'class_weight' is null");
        SampleWeights.ofClasses(weights);
        this.classWeight = new LinkedHashMap<>(weights);
        return this;
    }

    /**
     * Keras's {@code steps_per_epoch}: an epoch is this many batches. A pass over the data then runs on
     * across epochs; when it runs out before an epoch has its steps, that epoch ends early with a warning and
     * the next one starts a new pass (Keras 3's behaviour). 0 (the default): an epoch is one pass.
     *
     * @param steps batches per epoch, at least 1, or 0 for one pass
     * @return these options
     */
    public FitOptions stepsPerEpoch(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("fit: argument 'steps_per_epoch' must be >= 1 (or 0 for one pass"
                    + " over the data), got " + steps);
        }
        this.stepsPerEpoch = steps;
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
     * @return the validation frequency, 1 unless set; 0 when a list of epochs was given instead
     */
    public int validationFreq() {
        return validationSchedule.freq();
    }

    /**
     * The epochs to validate after, when given as a list ({@link #validationFreq(List)}).
     *
     * @return their 1-based numbers, sorted, without repeats; empty when a frequency is set instead
     */
    public List<Integer> validationEpochs() {
        return validationSchedule.epochs();
    }

    ValidationSchedule validationSchedule() {
        return validationSchedule;
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
        return validation == null ? null : validation.x();
    }

    /**
     * The validation targets, or null.
     *
     * @return the targets
     */
    public FloatMatrix validationY() {
        return validation == null ? null : validation.y();
    }

    /**
     * The validation sample weights, or null.
     *
     * @return the weights given with the validation matrices
     */
    public float[] validationSampleWeight() {
        return validation == null ? null : validation.weights();
    }

    /**
     * The streamed validation data, or null.
     *
     * @return the source given to {@link #validationData(BatchSource)}
     */
    public BatchSource validationSource() {
        return validation == null ? null : validation.source();
    }

    /**
     * The training sample weights, or null.
     *
     * @return the weights given to {@link #sampleWeight}
     */
    public float[] sampleWeight() {
        return sampleWeight;
    }

    /**
     * The class weights, or null.
     *
     * @return an unmodifiable copy of the map given to {@link #classWeight}
     */
    public Map<Integer, Number> classWeight() {
        return classWeight == null ? null : java.util.Collections.unmodifiableMap(classWeight);
    }

    /**
     * Batches per epoch, or 0 for one pass over the data.
     *
     * @return the steps per epoch
     */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
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
