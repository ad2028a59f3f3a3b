package dev.myelin.nn;

import dev.myelin.data.BatchReader;
import dev.myelin.data.BatchSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Batches read from a {@link BatchSource}: each pass opens a reader, and each batch is read into arrays
 * allocated once, checked (targets as {@link Loss#prepareTargets} checks them, weights finite), weighted
 * by class when asked, and uploaded. An I/O error becomes an {@link UncheckedIOException} naming the source.
 */
final class SourceFeed extends BatchFeed {

    private final BatchSource source;
    private final String op;
    private final SampleWeights classWeights;
    private final int targetCols;
    private final float[] xs;
    private final float[] ys;
    private final float[] ws;
    private final String yArg;
    private final String wArg;
    private BatchReader reader;

    /**
     * @param op the calling operation, for messages
     * @param classWeights weights by class (null: the source's own weights, or none)
     */
    SourceFeed(Model model, String op, BatchSource source, int batch, SampleWeights classWeights) {
        super(model, source.samples() > 0 ? (int) Math.min(batch, source.samples()) : batch);
        this.source = source;
        this.op = op;
        this.classWeights = classWeights;
        this.targetCols = source.targetColumns();
        xs = new float[Math.multiplyExact(this.batch, source.features())];
        ys = new float[Math.multiplyExact(this.batch, targetCols)];
        // Built once: a message argument concatenated per batch would allocate on every step.
        yArg = "y of " + source;
        wArg = "sample weights of " + source;
        ws = classWeights != null || source.hasSampleWeights() ? new float[this.batch] : null;
    }

    /**
     * Checks that {@code source} fits the model (built for its features if need be) and its loss.
     *
     * @param targets whether the source must have targets (fit, evaluate) or may lack them (predict)
     */
    static void check(Model model, String op, BatchSource source, boolean targets) {
        java.util.Objects.requireNonNull(source, op + ": argument 'source' is null");
        InputChecks.ensureBuilt(model, op, "source", source.features(), source.features() + " features (" + source + ")");
        if (targets) {
            int want = model.loss.targetColumns(model.outputs);
            if (source.targetColumns() != want) {
                throw new IllegalArgumentException(op + ": argument 'source' must have " + want + " target column"
                        + (want == 1 ? "" : "s") + " for " + model.loss.name() + " and " + model.outputs
                        + " outputs, got " + source.targetColumns() + " (" + source + ")");
            }
        }
    }

    @Override
    long samples() {
        return source.samples();
    }

    @Override
    void open(boolean shuffle, long seed) {
        close();
        try {
            reader = source.open(shuffle, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(op + ": cannot open " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    BatchPlan stageNext() {
        int rows;
        try {
            rows = reader.read(xs, ys, source.hasSampleWeights() ? ws : null, batch);
        } catch (IOException e) {
            throw new UncheckedIOException(op + ": reading " + source + " failed after " + delivered + " samples: "
                    + e.getMessage(), e);
        }
        if (rows <= 0) {
            close();
            return null;
        }
        if (classWeights != null) {
            // Keras derives class weights from the labels as given, before any loss converts them.
            classWeights.forRows(ys, rows, targetCols, ws);
        } else if (ws != null) {
            SampleWeights.checkFinite(op, wArg, ws, rows, delivered);
        }
        Targets.prepareRows(model.loss, yArg, ys, rows * targetCols, model.outputs, delivered);
        BatchPlan p = model.plans.acquire(rows);
        try {
            p.stageRows(xs, ys, targetCols, ws, model.loss);
        } catch (RuntimeException e) {
            model.plans.release(p);
            throw e;
        }
        return p;
    }

    @Override
    public void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(op + ": closing " + source + " failed: " + e.getMessage(), e);
            } finally {
                reader = null;
            }
        }
    }
}
