package dev.myelin.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The backend's threads: splits a range of work into parts, runs the first part on the calling
 * thread and the others on {@code threads - 1} resident workers, and waits for all of them. A part is
 * either one fixed range ({@link #run}) or the pieces its thread claims ({@link #runClaimed}).
 *
 * <p>Small work never leaves the calling thread: {@link #parts(long, long)} returns 1 when the work
 * is below one grain, and callers then invoke their kernel directly.
 *
 * <p>The hand-off allocates nothing: each worker owns a slot that the caller fills and publishes
 * through a volatile generation counter, and the bounds array is reused. A worker that has just
 * finished spins for {@link #SPIN_NANOS} before parking, and so does the caller while waiting, because
 * a training step issues its GEMMs back to back and a park/unpark round trip costs tens of
 * microseconds, about as much as a small GEMM's share of work.
 */
final class Parallel implements AutoCloseable {

    /** One part of a split range: handles {@code [from, to)} as part number {@code part}. */
    @FunctionalInterface
    interface RangeTask {
        void run(int part, int from, int to);
    }

    /** How long an idle worker or a waiting caller spins before parking. */
    static final long SPIN_NANOS = 50_000L;

    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final int threads;
    private final Worker[] workers;
    private final int[] bounds;
    private final AtomicInteger remaining = new AtomicInteger();
    /** The next unclaimed chunk of a {@link #runClaimed} call. */
    private final AtomicInteger nextChunk = new AtomicInteger();
    /** The chunking of the current call: {@code chunks == 0} for a static split ({@link #run}). */
    private int chunks;
    private int chunkN;
    private int chunkAlign;
    private volatile Thread caller;
    private volatile boolean closed;
    private boolean busy;

    Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.bounds = new int[threads + 1];
        this.workers = new Worker[threads];
        int id = POOL_IDS.incrementAndGet();
        for (int p = 1; p < threads; p++) {
            Worker w = new Worker(p);
            Thread t = new Thread(w, "myelin-cpu-" + id + "-" + p);
            t.setDaemon(true);
            w.thread = t;
            workers[p] = w;
            t.start();
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
     * multiples of {@code align} (except the last), and waits for all of them. Not reentrant: a call
     * made while another is running (from a task) runs all of {@code [0, n)} on its own thread. The
     * backend calls it under its dispatch lock, so two application threads never meet here.
     */
    void run(int parts, int n, int align, RangeTask task) {
        split(parts, 0, n, align, task);
    }

    /**
     * Runs {@code task} over {@code [0, n)} cut into {@code chunks} contiguous pieces (bounds multiples
     * of {@code align}) that {@code parts} threads claim one at a time, and waits for all of them. A
     * thread that runs slower, on a core shared with other work, claims fewer pieces instead of holding
     * everyone up at the end, as a fixed split does. Only for tasks whose result does not depend on
     * which thread runs a piece (each output element written by exactly one piece); a reduction that
     * keeps partial sums per part must use {@link #run}, whose assignment is fixed and so deterministic.
     * {@code task} is called with the claiming thread's part number, once per piece.
     */
    void runClaimed(int parts, int chunks, int n, int align, RangeTask task) {
        split(parts, Math.max(chunks, parts), n, align, task);
    }

    private void split(int parts, int chunks, int n, int align, RangeTask task) {
        parts = Math.min(parts, threads);
        if (parts <= 1 || !claim()) {
            task.run(0, 0, n);
            return;
        }
        try {
            for (int p = 0; p <= parts; p++) {
                bounds[p] = bound(p, parts, n, align);
            }
            this.chunks = chunks;
            this.chunkN = n;
            this.chunkAlign = align;
            nextChunk.set(0);
            caller = Thread.currentThread();
            remaining.set(parts - 1);
            for (int p = 1; p < parts; p++) {
                workers[p].start(task);
            }
            Throwable failure = null;
            try {
                runPart(0, task);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            awaitWorkers();
            for (int p = 1; p < parts; p++) {
                Throwable f = workers[p].takeFailure();
                if (failure == null) {
                    failure = f;
                }
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
        } finally {
            release();
        }
    }

    /** Part {@code part}'s share of the current call: its fixed range, or pieces claimed until none is left. */
    private void runPart(int part, RangeTask task) {
        if (chunks == 0) {
            task.run(part, bounds[part], bounds[part + 1]);
            return;
        }
        for (int c; (c = nextChunk.getAndIncrement()) < chunks; ) {
            int from = bound(c, chunks, chunkN, chunkAlign);
            int to = bound(c + 1, chunks, chunkN, chunkAlign);
            if (from < to) {
                task.run(part, from, to);
            }
        }
    }

    /** Where piece {@code i} of {@code count} over {@code [0, n)} starts: a multiple of {@code align}, or n. */
    private static int bound(int i, int count, int n, int align) {
        long units = (n + (long) align - 1) / align;
        return i >= count ? n : (int) Math.min(n, units * i / count * align);
    }

    private synchronized boolean claim() {
        if (busy || closed) {
            return false;
        }
        busy = true;
        return true;
    }

    private synchronized void release() {
        busy = false;
    }

    private void awaitWorkers() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (remaining.get() != 0) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (int p = 1; p < threads; p++) {
            LockSupport.unpark(workers[p].thread);
        }
    }

    /** A resident thread running part {@code part} of each split call. */
    private final class Worker implements Runnable {
        private final int part;
        private Thread thread;
        private RangeTask task;
        private Throwable failure;
        /** Bumped by the caller after filling the slot; the worker runs once per new value. */
        private volatile int generation;

        Worker(int part) {
            this.part = part;
        }

        void start(RangeTask task) {
            this.task = task;
            generation++; // volatile write publishes the slot; only the claiming caller writes it
            LockSupport.unpark(thread);
        }

        Throwable takeFailure() {
            Throwable f = failure;
            failure = null;
            return f;
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                int g;
                while ((g = generation) == seen) {
                    if (closed) {
                        return;
                    }
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                seen = g;
                RangeTask t = task;
                task = null;
                try {
                    runPart(part, t);
                } catch (Throwable e) {
                    failure = e;
                }
                if (remaining.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }
}
