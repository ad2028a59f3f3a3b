package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@link Sequential#fit} after {@code x} and {@code y}, with Keras's defaults:
 * batch size 32, 1 epoch, no validation, shuffling, verbose 1.
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
    private PrintStream out = System.out;

    public FitOptions batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit: argument 'batch_size' must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    public FitOptions epochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("fit: argument 'epochs' must be >= 0, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** The fraction of samples, taken from the end of {@code x} and {@code y} before shuffling, held out. */
    public FitOptions validationSplit(double split) {
        if (!(split >= 0 && split < 1)) {
            throw new IllegalArgumentException("fit: argument 'validation_split' must be in [0, 1), got " + split);
        }
        this.validationSplit = split;
        return this;
    }

    /** Validation data (overrides {@link #validationSplit}, as in Keras). */
    public FitOptions validationData(FloatMatrix x, FloatMatrix y) {
        this.validationX = Objects.requireNonNull(x, "fit: argument 'validation_data' x is null");
        this.validationY = Objects.requireNonNull(y, "fit: argument 'validation_data' y is null");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("fit: argument 'validation_data' must have as many targets as"
                    + " samples: x is [" + x.rows() + " x " + x.cols() + "], y is [" + y.rows() + " x " + y.cols() + "]");
        }
        return this;
    }

    public FitOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    public FitOptions callbacks(Callback... callbacks) {
        for (Callback c : callbacks) {
            this.callbacks.add(Objects.requireNonNull(c, "fit: argument 'callbacks' holds null"));
        }
        return this;
    }

    /** 0 silent, 1 progress bar (one line per epoch when the output is not a terminal), 2 one line per epoch. */
    public FitOptions verbose(int verbose) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("fit: argument 'verbose' must be 0, 1 or 2, got " + verbose);
        }
        this.verbose = verbose;
        return this;
    }

    /** Where progress goes (System.out by default). */
    public FitOptions out(PrintStream out) {
        this.out = Objects.requireNonNull(out, "fit: argument 'out' is null");
        return this;
    }

    public int batchSize() {
        return batchSize;
    }

    public int epochs() {
        return epochs;
    }

    public double validationSplit() {
        return validationSplit;
    }

    public FloatMatrix validationX() {
        return validationX;
    }

    public FloatMatrix validationY() {
        return validationY;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    public int verbose() {
        return verbose;
    }

    public PrintStream out() {
        return out;
    }
}
