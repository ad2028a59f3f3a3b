package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.util.SplittableRandom;

/**
 * Batches of matrices in memory: rows in order, or in a permutation of all rows drawn from the pass's seed,
 * gathered into the plan's staging arrays.
 */
final class MatrixFeed extends BatchFeed {

    private final FloatMatrix x;
    private final FloatMatrix y;
    private final float[] weights;
    private int[] order;
    private boolean shuffled;

    /**
     * @param y targets already prepared for the loss
     * @param weights a weight per row, or null
     */
    MatrixFeed(Model model, FloatMatrix x, FloatMatrix y, float[] weights, int batch) {
        super(model, Math.min(batch, Math.max(1, x.rows())));
        this.x = x;
        this.y = y;
        this.weights = weights;
    }

    @Override
    long samples() {
        return x.rows();
    }

    @Override
    void open(boolean shuffle, long seed) {
        shuffled = shuffle;
        if (!shuffle) {
            return;
        }
        int n = x.rows();
        if (order == null) {
            order = new int[n];
        }
        // Each pass shuffles the identity, not the last order, so the orders depend on the seeds alone.
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    @Override
    BatchPlan stageNext() {
        int start = (int) delivered;
        int rows = Math.min(batch, x.rows() - start);
        if (rows <= 0) {
            return null;
        }
        BatchPlan p = model.plans.acquire(rows);
        try {
            p.stage(x, y, weights, order, start, shuffled, model.loss);
        } catch (RuntimeException e) {
            model.plans.release(p);
            throw e;
        }
        return p;
    }
}
