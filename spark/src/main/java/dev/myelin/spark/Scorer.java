package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition: reads {@code batchSize} rows at a time, predicts them on the task's own
 * {@link Replica}, and appends the prediction and/or output-vector columns to each row, in order.
 * The replica is opened on the first batch and closed after the last one (or when the task ends early).
 */
final class Scorer implements FlatMapFunction<Iterator<Row>, Row> {

    private static final long serialVersionUID = 1L;

    private final ModelBlob blob;
    private final String backendName;
    private final NumericColumn features;
    private final int batchSize;
    private final boolean withPrediction;
    private final boolean withOutputs;

    Scorer(ModelBlob blob, String backendName, NumericColumn features, int batchSize, boolean withPrediction,
            boolean withOutputs) {
        this.blob = blob;
        this.backendName = backendName;
        this.features = features;
        this.batchSize = batchSize;
        this.withPrediction = withPrediction;
        this.withOutputs = withOutputs;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final List<Row> out = new ArrayList<>();
            private int next;
            private Replica replica;

            @Override
            public boolean hasNext() {
                if (next < out.size()) {
                    return true;
                }
                out.clear();
                next = 0;
                if (rows.hasNext()) {
                    scoreBatch();
                    return true;
                }
                if (replica != null) {
                    replica.close();
                }
                return false;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.get(next++);
            }

            private void scoreBatch() {
                List<Row> in = new ArrayList<>(batchSize);
                while (in.size() < batchSize && rows.hasNext()) {
                    in.add(rows.next());
                }
                int width = blob.spec().inputs();
                float[] x = new float[in.size() * width];
                for (int i = 0; i < in.size(); i++) {
                    features.read(in.get(i), x, i * width);
                }
                if (replica == null) {
                    replica = Replica.open(blob, backendName);
                    TaskContext tc = TaskContext.get();
                    if (tc != null) {
                        Replica r = replica;
                        tc.addTaskCompletionListener((TaskCompletionListener) ctx -> r.close());
                    }
                }
                FloatMatrix y = replica.model().predict(new FloatMatrix(in.size(), width, x), batchSize);
                for (int i = 0; i < in.size(); i++) {
                    out.add(extend(in.get(i), y, i));
                }
            }
        };
    }

    private Row extend(Row row, FloatMatrix y, int i) {
        int n = row.length();
        Object[] values = new Object[n + (withPrediction ? 1 : 0) + (withOutputs ? 1 : 0)];
        for (int j = 0; j < n; j++) {
            values[j] = row.get(j);
        }
        float[] r = y.row(i);
        if (withPrediction) {
            values[n++] = prediction(r);
        }
        if (withOutputs) {
            double[] d = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                d[j] = r[j];
            }
            values[n] = Vectors.dense(d);
        }
        return RowFactory.create(values);
    }

    /** The index of the largest output (the first on ties; NaN wins) for several outputs, else the one output. */
    static double prediction(float[] outputs) {
        if (outputs.length == 1) {
            return outputs[0];
        }
        int best = 0;
        for (int j = 1; j < outputs.length; j++) {
            if (Float.isNaN(outputs[best])) {
                break;
            }
            if (Float.isNaN(outputs[j]) || outputs[j] > outputs[best]) {
                best = j;
            }
        }
        return best;
    }
}
