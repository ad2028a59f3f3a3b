package dev.myelin.nn;

import dev.myelin.data.BatchReader;
import dev.myelin.data.BatchSource;
import dev.myelin.data.FloatMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** {@code predict} on a {@link BatchSource}: one in-order pass, the outputs gathered on the host. */
final class PredictStream {

    private PredictStream() {
    }

    static FloatMatrix predict(Model model, BatchSource source, int batchSize) {
        int outputs = model.outputs;
        long known = source.samples();
        int batch = known > 0 ? (int) Math.min(batchSize, known) : batchSize;
        float[] xs = new float[Math.multiplyExact(batch, source.features())];
        float[] result = new float[Math.multiplyExact((int) Math.min(Math.max(known, batch), Integer.MAX_VALUE),
                outputs)];
        int n = 0;
        try (BatchReader reader = source.open(false, 0L)) {
            for (int rows; (rows = reader.read(xs, null, null, batch)) > 0; ) {
                long need = (long) (n + rows) * outputs;
                if (need > result.length) {
                    // A source of unknown size: grow as a list would.
                    result = Arrays.copyOf(result, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need,
                            2L * result.length)));
                }
                BatchPlan p = model.plans.acquire(rows);
                try {
                    p.x.copyFrom(xs, 0);
                    model.steps.forward(p, false, false, model.iterations, 0).copyTo(result, n * outputs);
                } finally {
                    model.plans.release(p);
                }
                n += rows;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("predict: reading " + source + " failed after " + n + " samples: "
                    + e.getMessage(), e);
        }
        return new FloatMatrix(n, outputs, result.length == n * outputs ? result : Arrays.copyOf(result, n * outputs));
    }
}
