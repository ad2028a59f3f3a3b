package dev.myelin.spark;

import dev.myelin.data.Shuffling;
import dev.myelin.spi.CounterRandom;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Which rows of which partition make up each step of distributed training, fixed by the partition sizes,
 * the global batch size and the seed alone, so a retried task recomputes exactly the rows it had.
 *
 * <p>An epoch has {@code ceil(N / B)} steps for N rows and global batch B. Every epoch, partition p visits
 * its rows in the order {@code Shuffling.permutation(n_p, streamSeed(streamSeed(seed, epoch), p))}
 * (or in stored order without shuffling); in step s it takes positions
 * {@code [floor(s B n_p / N), floor((s+1) B n_p / N))} of that order, clipped to {@code n_p} (the last
 * step takes the rest). Each partition thus gives its share {@code ~B n_p / N} of every step; with one
 * partition the steps are the plain consecutive batches of B rows.
 */
final class StepPlan implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] partitionRows;
    private final long totalRows;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;

    StepPlan(long[] partitionRows, int batchSize, long seed, boolean shuffle) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("argument 'batchSize' must be >= 1, got " + batchSize);
        }
        this.partitionRows = partitionRows.clone();
        this.totalRows = Arrays.stream(partitionRows).sum();
        if (totalRows == 0) {
            throw new IllegalArgumentException("the training data has no rows");
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    /** Rows in all partitions. */
    long totalRows() {
        return totalRows;
    }

    /** The number of partitions. */
    int partitions() {
        return partitionRows.length;
    }

    /** Steps per epoch. */
    int steps() {
        return Math.toIntExact((totalRows + batchSize - 1) / batchSize);
    }

    /** The first position (in the epoch's order) of partition {@code p}'s rows for step {@code s}. */
    int from(int p, int s) {
        return bound(p, s);
    }

    /** One past the last position of partition {@code p}'s rows for step {@code s}. */
    int to(int p, int s) {
        return s == steps() - 1 ? Math.toIntExact(partitionRows[p]) : bound(p, s + 1);
    }

    /** The rows of step {@code s} over all partitions. */
    long stepRows(int s) {
        long n = 0;
        for (int p = 0; p < partitionRows.length; p++) {
            n += to(p, s) - from(p, s);
        }
        return n;
    }

    /**
     * Where partition {@code p}'s rows start in step {@code s}'s global batch (the partitions' shares in
     * partition order): the row key of their dropout masks, so a step's masks do not depend on the split.
     */
    long offsetInStep(int p, int s) {
        long offset = 0;
        for (int q = 0; q < p; q++) {
            offset += to(q, s) - from(q, s);
        }
        return offset;
    }

    /** Partition {@code p}'s local row indices in the order of {@code epoch}. */
    int[] order(int p, int epoch) {
        int n = Math.toIntExact(partitionRows[p]);
        if (!shuffle) {
            return identity(n);
        }
        return Shuffling.permutation(n, CounterRandom.streamSeed(CounterRandom.streamSeed(seed, epoch), p));
    }

    private int bound(int p, int s) {
        // s * B <= N + B and n_p <= N, so the product overflows (and multiplyExact throws) only past ~3e9 rows.
        long q = Math.multiplyExact((long) s * batchSize, partitionRows[p]) / totalRows;
        return (int) Math.min(partitionRows[p], q);
    }

    private static int[] identity(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }
}
