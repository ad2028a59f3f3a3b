package dev.myelin.nn;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Who may use a model at once. Training calls are exclusive and fail fast: a second one while one runs
 * (from any thread, or nested in a callback) throws instead of waiting or corrupting the first. Predict
 * and evaluate share the model with each other; from another thread while it trains they throw, and one
 * that slipped in just before a training call began makes that call wait until it is done.
 */
final class TrainingGuard {

    private final AtomicReference<Thread> trainer = new AtomicReference<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Starts a training call named {@code op}; throws if the model is already training. */
    void enter(String op) {
        Thread me = Thread.currentThread();
        if (!trainer.compareAndSet(null, me)) {
            Thread other = trainer.get();
            throw new IllegalStateException(op + ": the model is already training (in thread '"
                    + (other == null ? "?" : other.getName()) + "'" + (other == me ? ", this one" : "")
                    + "); a model runs one fit, trainOnBatch, computeGradients or applyGradients at a time");
        }
        lock.writeLock().lock();
    }

    /** Whether the calling thread is running a training call (a callback inside fit). */
    boolean isTrainingThread() {
        return trainer.get() == Thread.currentThread();
    }

    /** Ends the training call begun by {@link #enter}. */
    void exit() {
        lock.writeLock().unlock();
        trainer.set(null);
    }

    /** Starts a predict or evaluate call named {@code op}; throws if another thread is training the model. */
    void enterShared(String op) {
        Thread other = trainer.get();
        if (other != null && other != Thread.currentThread()) {
            throw new IllegalStateException(op + ": the model is training in thread '" + other.getName()
                    + "'; predict or evaluate from another thread once it has finished (now they would read"
                    + " half-updated weights)");
        }
        lock.readLock().lock();
    }

    /** Ends a call begun by {@link #enterShared}. */
    void exitShared() {
        lock.readLock().unlock();
    }
}
