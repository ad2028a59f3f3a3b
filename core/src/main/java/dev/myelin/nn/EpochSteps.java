package dev.myelin.nn;

/**
 * Which batches make each epoch of a fit, as Keras 3's {@code EpochIterator} decides. Without
 * {@code steps_per_epoch} an epoch is one pass over the data. With it, an epoch is that many batches and a
 * pass runs on across epochs: the next epoch takes the batches where the last one stopped. When a pass runs
 * out of data before the epoch has its steps, the epoch ends there with a warning and the next epoch starts
 * a new pass (newly shuffled). A pass starts shuffled with the seed of the epoch it starts in.
 *
 * <p>One difference: Keras can meet the end of a source of unknown size at the first step of an epoch and
 * then runs an empty epoch; here that epoch starts the next pass at once.
 */
final class EpochSteps {

    private final BatchFeed feed;
    private final int stepsPerEpoch;
    private final boolean shuffle;
    private boolean passOpen;
    private boolean freshPass;
    private long seed;
    private int step;
    private boolean ranOut;

    /** @param stepsPerEpoch batches an epoch, or 0 for one pass over the data */
    EpochSteps(BatchFeed feed, int stepsPerEpoch, boolean shuffle) {
        this.feed = feed;
        this.stepsPerEpoch = stepsPerEpoch;
        this.shuffle = shuffle;
    }

    /** The steps an epoch is expected to have (for the progress bar), or 0 when not known. */
    int expectedSteps() {
        if (stepsPerEpoch > 0) {
            return stepsPerEpoch;
        }
        long batches = feed.batchesPerPass();
        return batches < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, batches);
    }

    /** Starts an epoch; a new pass, shuffled by {@code epochSeed}, when none runs on into it. */
    void beginEpoch(long epochSeed) {
        seed = epochSeed;
        step = 0;
        ranOut = false;
        if (!passOpen || stepsPerEpoch == 0 || feed.exhausted()) {
            startPass();
        }
    }

    /** The epoch's next batch, staged into a plan the caller releases, or null when the epoch is over. */
    BatchPlan next() {
        if (stepsPerEpoch > 0 && step >= stepsPerEpoch) {
            return null;
        }
        BatchPlan p = feed.exhausted() ? null : feed.next();
        if (p == null && step == 0) {
            if (freshPass) {
                throw new IllegalArgumentException("fit: the training data yielded no samples");
            }
            startPass();
            p = feed.next();
            if (p == null) {
                throw new IllegalArgumentException("fit: the training data yielded no samples");
            }
        }
        if (p == null) {
            ranOut = stepsPerEpoch > 0;
            return null;
        }
        freshPass = false;
        step++;
        return p;
    }

    /** The steps run in this epoch so far. */
    int steps() {
        return step;
    }

    /** Warns, as Keras does, when the data ran out before the epoch had {@code steps_per_epoch} batches. */
    void endEpoch(int epoch) {
        if (ranOut) {
            System.getLogger(Sequential.class.getName()).log(System.Logger.Level.WARNING, "fit: the input ran out"
                    + " of data in epoch " + (epoch + 1) + " after " + step + " of " + stepsPerEpoch + " steps"
                    + " (steps_per_epoch); the next epoch starts a new pass over the data");
        }
    }

    /** Frees what the current pass holds. */
    void close() {
        feed.close();
    }

    private void startPass() {
        feed.startPass(shuffle, seed);
        passOpen = true;
        freshPass = true;
    }
}
