package dev.myelin.nn;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keras 3's {@code ModelCheckpoint}: saves the model during {@code fit}, every epoch (the default) or every
 * {@code n} batches, optionally only when the monitored value improves. The file name is a Python format
 * pattern filled with {@code epoch} (1-based), {@code batch} (1-based, batch saves only) and the logs:
 * {@code "ckpt/{epoch:02d}-{val_loss:.4f}.myelin"}. A name ending in {@code .myelin} gets the whole model
 * ({@link Sequential#save}, which resumes training exactly); with {@link #saveWeightsOnly(boolean)} the name
 * must end in {@code .safetensors} and gets the weights ({@link Sequential#saveWeights}). Every write is
 * atomic, and missing folders are made.
 *
 * <p>Keras's defaults: monitor {@code val_loss}, verbose 0, save_best_only false, save_weights_only false,
 * mode {@code auto}, save_freq {@code "epoch"}, no initial value threshold. When the monitored key is absent
 * (no validation that epoch) a best-only checkpoint warns on the {@code System.Logger} of this class and
 * saves, as Keras does.
 */
public final class ModelCheckpoint implements Callback {

    private final String filepath;
    private final PythonFormat pattern;
    private String monitor = "val_loss";
    private int verbose;
    private boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private String mode = "auto";
    private int saveFreq;
    private Double best;
    private Double initialValueThreshold;
    private PrintStream out = System.out;

    private Monitor watch;
    private Sequential model;
    private int epoch;
    private int batchesSinceSave;

    /**
     * A checkpoint to {@code filepath} with Keras's defaults (whole model after every epoch).
     *
     * @param filepath the file name pattern, e.g. {@code "ckpt/model-{epoch:02d}.myelin"}; not blank
     * @throws IllegalArgumentException if the pattern is blank or malformed
     */
    public ModelCheckpoint(String filepath) {
        if (filepath == null || filepath.isBlank()) {
            throw new IllegalArgumentException("ModelCheckpoint: argument 'filepath' must be a file name, got '"
                    + filepath + "'");
        }
        this.filepath = filepath;
        this.pattern = new PythonFormat("ModelCheckpoint", filepath);
    }

    /**
     * A checkpoint to {@code filepath} with Keras's defaults.
     *
     * @param filepath the file name pattern; not null
     */
    public ModelCheckpoint(Path filepath) {
        this(Objects.requireNonNull(filepath, "ModelCheckpoint: argument 'filepath' is null").toString());
    }

    /**
     * Keras's {@code monitor}: the history key judged by {@link #saveBestOnly(boolean)}.
     *
     * @param monitor a history key such as {@code val_loss} or {@code val_accuracy}
     * @return this callback
     */
    public ModelCheckpoint monitor(String monitor) {
        this.monitor = monitor;
        return this;
    }

    /**
     * Keras's {@code verbose}: 1 says each save (and each non-improvement) on {@link #out(PrintStream)}.
     *
     * @param verbose 0 or 1
     * @return this callback
     */
    public ModelCheckpoint verbose(int verbose) {
        if (verbose < 0 || verbose > 1) {
            throw new IllegalArgumentException("ModelCheckpoint: argument 'verbose' must be 0 or 1, got " + verbose);
        }
        this.verbose = verbose;
        return this;
    }

    /**
     * Keras's {@code save_best_only}: save only when the monitored value improves on the best so far.
     *
     * @param only true to save improvements only
     * @return this callback
     */
    public ModelCheckpoint saveBestOnly(boolean only) {
        this.saveBestOnly = only;
        return this;
    }

    /**
     * Keras's {@code save_weights_only}: write the weights alone (a {@code .safetensors} file).
     *
     * @param only true for weights only
     * @return this callback
     */
    public ModelCheckpoint saveWeightsOnly(boolean only) {
        this.saveWeightsOnly = only;
        return this;
    }

    /**
     * Keras's {@code mode}: {@code auto} (from the key's name), {@code min} or {@code max}.
     *
     * @param mode auto, min or max
     * @return this callback
     */
    public ModelCheckpoint mode(String mode) {
        this.mode = mode;
        return this;
    }

    /**
     * Keras's {@code save_freq} as a number of batches: save after every {@code batches} training batches,
     * counted across epochs (the logs are then the running values of the epoch so far, read from the device
     * at each save check). The default is {@code "epoch"}.
     *
     * @param batches the batches between saves, at least 1
     * @return this callback
     */
    public ModelCheckpoint saveFreq(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("ModelCheckpoint: argument 'save_freq' must be \"epoch\" or >= 1, got "
                    + batches);
        }
        this.saveFreq = batches;
        return this;
    }

    /**
     * Keras's {@code save_freq="epoch"} (the default): save at the end of every epoch.
     *
     * @param freq the string {@code "epoch"}
     * @return this callback
     */
    public ModelCheckpoint saveFreq(String freq) {
        if (!"epoch".equals(freq)) {
            throw new IllegalArgumentException("ModelCheckpoint: argument 'save_freq' must be \"epoch\" or an integer,"
                    + " got '" + freq + "'");
        }
        this.saveFreq = 0;
        return this;
    }

    /**
     * Keras's {@code initial_value_threshold}: with save_best_only, the value the first save must beat.
     *
     * @param threshold the initial best value
     * @return this callback
     */
    public ModelCheckpoint initialValueThreshold(double threshold) {
        this.initialValueThreshold = threshold;
        return this;
    }

    /**
     * Where verbose messages go (System.out by default).
     *
     * @param out the stream, not null
     * @return this callback
     */
    public ModelCheckpoint out(PrintStream out) {
        this.out = Objects.requireNonNull(out, "ModelCheckpoint: argument 'out' is null");
        return this;
    }

    /**
     * The best monitored value saved so far, or null before the first best-only save.
     *
     * @return the best value, or null
     */
    public Double best() {
        return best;
    }

    @Override
    public void onTrainBegin(Sequential model) {
        String ext = saveWeightsOnly ? ".safetensors" : ModelFile.EXTENSION;
        if (!filepath.toLowerCase(java.util.Locale.ROOT).endsWith(ext)) {
            throw new IllegalArgumentException("ModelCheckpoint: argument 'filepath' must end in " + ext
                    + (saveWeightsOnly ? " when save_weights_only is set" : " (a whole model file)") + ", got '"
                    + filepath + "'");
        }
        if (!saveWeightsOnly && model.optimizer().notStorable() != null) {
            throw new IllegalStateException("ModelCheckpoint: a model file cannot hold the optimizer, which uses "
                    + model.optimizer().notStorable() + "; use saveWeightsOnly(true)");
        }
        // Keras resolves the direction lazily; resolving it here fails before any training.
        this.watch = new Monitor("ModelCheckpoint", monitor, mode, 0);
        this.model = model;
        this.best = initialValueThreshold;
        this.batchesSinceSave = 0;
    }

    @Override
    public void onEpochBegin(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public boolean needsBatchLogs() {
        // The running logs are read only when a batch save must judge or name a file by them.
        return saveFreq > 0 && (saveBestOnly || pattern.keys().stream().anyMatch(k -> !k.equals("epoch")
                && !k.equals("batch")));
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        if (saveFreq > 0 && ++batchesSinceSave >= saveFreq) {
            batchesSinceSave = 0;
            save(epoch, batch, logs);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveFreq == 0) {
            save(epoch, -1, logs);
        }
    }

    private void save(int epoch, int batch, Map<String, Double> logs) {
        Map<String, Object> values = new LinkedHashMap<>(logs);
        values.put("epoch", epoch + 1);
        if (batch >= 0) {
            values.put("batch", batch + 1);
        }
        Path file = Path.of(pattern.format(values));
        if (!shouldSave(epoch, logs, file)) {
            return;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (saveWeightsOnly) {
                model.saveWeights(file);
            } else {
                model.save(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot write " + file, e);
        }
        if (verbose > 0) {
            out.println("Epoch " + (epoch + 1) + ": finished saving model to " + file);
        }
    }

    private boolean shouldSave(int epoch, Map<String, Double> logs, Path file) {
        if (!saveBestOnly) {
            if (verbose > 0) {
                out.println("Epoch " + (epoch + 1) + ": saving model to " + file);
            }
            return true;
        }
        Double current = watch.current(logs);
        if (current == null) {
            System.getLogger(ModelCheckpoint.class.getName()).log(System.Logger.Level.WARNING,
                    "Can save best model only with " + monitor + " available.");
            return true;
        }
        String bestText = best == null ? "None" : String.format(java.util.Locale.ROOT, "%.5f", best);
        if (watch.improves(current, best)) {
            if (verbose > 0) {
                out.println(String.format(java.util.Locale.ROOT, "Epoch %d: %s improved from %s to %.5f, saving model"
                        + " to %s", epoch + 1, monitor, bestText, current, file));
            }
            best = current;
            return true;
        }
        if (verbose > 0) {
            out.println("Epoch " + (epoch + 1) + ": " + monitor + " did not improve from " + bestText);
        }
        return false;
    }
}
