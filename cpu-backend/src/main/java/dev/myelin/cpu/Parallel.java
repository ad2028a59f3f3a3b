package dev.myelin.cpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backend's thread pool: splits a range of work into parts, runs the first part on the calling
 * thread and the others on {@code threads - 1} pooled workers, and waits for all of them.
 *
 * <p>Small work never leaves the calling thread: {@link #parts(long, long)} returns 1 when the work
 * is below one grain, and callers then invoke their kernel directly (no task object, no hand-off).
 */
final class Parallel implements AutoCloseable {

    /** One part of a split range: handles {@code [from, to)} as part number {@code part}. */
    @FunctionalInterface
    interface RangeTask {
        void run(int part, int from, int to);
    }

    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final int threads;
    private final ExecutorService pool;
    @SuppressWarnings("unchecked")
    private final Future<?>[] pending;

    Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pending = new Future<?>[threads];
        if (threads == 1) {
            this.pool = null;
        } else {
            int id = POOL_IDS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "myelin-cpu-" + id + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.pool = Executors.newFixedThreadPool(threads - 1, factory);
        }
    }

    int threads() {
        return threads;
    }

    /**
     * How many parts to split {@code work} units into so that each part has at least {@code grain}
     * units: between 1 and {@link #threads()}.
     */
    int parts(long work, long grain) {
        if (threads == 1 || work < 2 * grain) {
            return 1;
        }
        return (int) Math.min(threads, work / grain);
    }

    /**
     * Runs {@code task} over {@code [0, n)} split into {@code parts} contiguous pieces whose bounds are
     * multiples of {@code align} (except the last), and waits for all of them.
     */
    void run(int parts, int n, int align, RangeTask task) {
        if (parts <= 1 || pool == null) {
            task.run(0, 0, n);
            return;
        }
        int[] bounds = new int[parts + 1];
        long units = (n + (long) align - 1) / align;
        for (int p = 0; p <= parts; p++) {
            bounds[p] = (int) Math.min(n, units * p / parts * align);
        }
        bounds[parts] = n;
        for (int p = 1; p < parts; p++) {
            int part = p;
            pending[p] = pool.submit(() -> task.run(part, bounds[part], bounds[part + 1]));
        }
        Throwable failure = null;
        try {
            task.run(0, bounds[0], bounds[1]);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int p = 1; p < parts; p++) {
            try {
                pending[p].get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = e;
                }
            } finally {
                pending[p] = null;
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("CPU kernel interrupted", failure);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
