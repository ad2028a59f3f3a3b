package dev.myelin.nn;

/**
 * The batches of one data set for fit or evaluate, a pass at a time: each {@link #next} stages a batch into
 * a {@link BatchPlan} from the model's pool. {@link MatrixFeed} serves matrices in memory, {@link SourceFeed}
 * a {@link dev.myelin.data.BatchSource} read from disk.
 */
abstract class BatchFeed implements AutoCloseable {

    final Model model;
    /** The most rows a batch has. */
    final int batch;
    /** Samples staged so far in this pass. */
    long delivered;
    private boolean passEnded;

    BatchFeed(Model model, int batch) {
        this.model = model;
        this.batch = batch;
    }

    /** Samples in a pass, or -1 when the source knows only once a pass ends. */
    abstract long samples();

    /** Starts a pass, in order or shuffled by {@code seed}. */
    final void startPass(boolean shuffle, long seed) {
        delivered = 0;
        passEnded = false;
        open(shuffle, seed);
    }

    abstract void open(boolean shuffle, long seed);

    /** The next batch of the pass staged into a plan the caller releases, or null when the pass is over. */
    final BatchPlan next() {
        BatchPlan p = passEnded ? null : stageNext();
        if (p == null) {
            passEnded = true;
        } else {
            delivered += p.batch;
        }
        return p;
    }

    /** Stages the next batch, or returns null at the end of the pass. */
    abstract BatchPlan stageNext();

    /** True once the pass has nothing left (known without reading when the size is). */
    final boolean exhausted() {
        long n = samples();
        return passEnded || (n >= 0 && delivered >= n);
    }

    /** The number of batches in a pass, or -1 when the size is unknown. */
    final long batchesPerPass() {
        long n = samples();
        return n < 0 ? -1 : (n + batch - 1) / batch;
    }

    /** Frees what the current pass holds (open files). */
    @Override
    public void close() {
    }
}
