package dev.myelin.nn;

import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import java.util.Arrays;

/**
 * Confusion counts of a single-output model at K thresholds, accumulated on the device during fit and
 * evaluate so that a step reads nothing back: each batch's predictions {@code p [B x 1]} are spread over
 * the thresholds by a {@code k = 1} GEMM ({@code q = p * scale}, exact), compared with the threshold row
 * ({@code q > t}, 1 or 0), and the 0/1 matrix is summed against the positive labels by a second GEMM
 * (integer sums, exact in float32 up to 2^24 per threshold). The host reads the small accumulators once,
 * when the metric's result is asked for.
 */
final class DeviceConfusion implements AutoCloseable {

    private final Backend b;
    private final int k;
    private final Tensor scale;
    private final Tensor thresholds;
    private final Tensor zero;
    private final Tensor scalar;
    private final Tensor row;
    /** Per threshold: positives predicted positive, and all predicted positive. */
    private final Tensor tp;
    private final Tensor predicted;
    /** Positive labels, and predictions that are not NaN. */
    private final Tensor positives;
    private final Tensor valid;
    /** The [B x K] comparison matrices of the last two batch sizes (a fit's full and last batch). */
    private final Tensor[] spread = new Tensor[2];
    private long rows;

    /** Counts {@code p * scale > thresholds[j]} for each j. */
    DeviceConfusion(Backend b, float scale, float[] thresholds) {
        this.b = b;
        this.k = thresholds.length;
        float[] s = new float[k];
        Arrays.fill(s, scale);
        this.scale = b.tensor(1, k, s);
        this.thresholds = b.tensor(1, k, thresholds);
        this.zero = b.tensor(1, 1, new float[] {0f});
        this.scalar = b.tensor(1, 1);
        this.row = b.tensor(1, k);
        this.tp = b.tensor(1, k);
        this.predicted = b.tensor(1, k);
        this.positives = b.tensor(1, 1);
        this.valid = b.tensor(1, 1);
        reset();
    }

    void reset() {
        for (Tensor t : new Tensor[] {tp, predicted, positives, valid}) {
            b.fill(t, 0f);
        }
        rows = 0;
    }

    /** Adds a batch: {@code pred}, {@code target} and the scratch columns are {@code [B x 1]}. */
    void update(Tensor pred, Tensor target, Tensor colA, Tensor colB) {
        int n = pred.rows();
        Tensor m = spread(n);
        b.gemm(false, false, 1f, pred, scale, 0f, m);
        b.binary(BinaryOp.GREATER, m, thresholds, m);
        // A label is positive when it is not 0 (Keras casts it to bool): (y == 0) == 0.
        b.binary(BinaryOp.EQUAL, target, zero, colA);
        b.binary(BinaryOp.EQUAL, colA, zero, colA);
        b.gemm(true, false, 1f, colA, m, 1f, tp);
        b.reduce(Reduction.SUM, Axis.PER_COLUMN, m, row);
        b.binary(BinaryOp.ADD, predicted, row, predicted);
        b.reduce(Reduction.SUM, Axis.ALL, colA, scalar);
        b.binary(BinaryOp.ADD, positives, scalar, positives);
        b.binary(BinaryOp.EQUAL, pred, pred, colB);
        b.reduce(Reduction.SUM, Axis.ALL, colB, scalar);
        b.binary(BinaryOp.ADD, valid, scalar, valid);
        rows += n;
    }

    private Tensor spread(int n) {
        for (Tensor t : spread) {
            if (t != null && t.rows() == n) {
                return t;
            }
        }
        if (spread[1] != null) {
            spread[1].close();
        }
        spread[1] = spread[0];
        spread[0] = b.tensor(n, k);
        return spread[0];
    }

    /** Adds the device counts into {@code c} (a host read of the accumulators). */
    void addTo(ConfusionCounts c) {
        addTo(c.tp, c.fp, c.tn, c.fn);
    }

    /** Adds the device counts into the four arrays, one element per threshold (a host read). */
    void addTo(double[] tpOut, double[] fpOut, double[] tnOut, double[] fnOut) {
        float[] t = tp.toArray();
        float[] p = predicted.toArray();
        double pos = positives.toArray()[0];
        for (int j = 0; j < k; j++) {
            tpOut[j] += t[j];
            fpOut[j] += p[j] - t[j];
            fnOut[j] += pos - t[j];
            tnOut[j] += (rows - pos) - (p[j] - t[j]);
        }
    }

    /** Whether a NaN prediction was seen (a host read). */
    boolean sawNaN() {
        return valid.toArray()[0] < rows;
    }

    @Override
    public void close() {
        Layer.close(scale, thresholds, zero, scalar, row, tp, predicted, positives, valid);
        Layer.close(spread);
    }
}
