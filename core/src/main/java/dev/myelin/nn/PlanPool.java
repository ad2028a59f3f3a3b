package dev.myelin.nn;

import dev.myelin.spi.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * The free {@link BatchPlan}s of a model, most recently used first. A call checks a plan out for its batch
 * size and returns it, so concurrent predict calls never share buffers; a training step finds its plan
 * at the front and allocates nothing.
 */
final class PlanPool {

    /**
     * Training needs at most the full and the last batch of both the training and validation data; predict
     * calls with ever new sizes must not pile up buffers, so beyond this the least recently used goes.
     */
    private static final int MAX_FREE = 4;

    private final Backend backend;
    private final List<BatchPlan> free = new ArrayList<>();
    private List<Layer> layers;
    private int inputs;
    private int outputs;
    private boolean closed;

    PlanPool(Backend backend) {
        this.backend = backend;
    }

    /** Sets the model the plans are for (once it is built). */
    synchronized void bind(List<Layer> modelLayers, int inputSize, int outputSize) {
        this.layers = List.copyOf(modelLayers);
        this.inputs = inputSize;
        this.outputs = outputSize;
    }

    /** A plan for {@code rows} rows, for the caller alone until {@link #release}. */
    BatchPlan acquire(int rows) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the model is closed");
            }
            for (int i = 0; i < free.size(); i++) {
                if (free.get(i).batch == rows) {
                    return free.remove(i);
                }
            }
        }
        // Allocated outside the lock: a large new plan must not hold up other threads' small ones.
        return new BatchPlan(backend, layers, rows, inputs, outputs);
    }

    /** Returns a plan; the least recently used free plan is freed when there are too many. */
    void release(BatchPlan p) {
        BatchPlan evicted = null;
        synchronized (this) {
            if (closed) {
                evicted = p;
            } else {
                free.add(0, p);
                if (free.size() > MAX_FREE) {
                    evicted = free.remove(free.size() - 1);
                }
            }
        }
        if (evicted != null) {
            evicted.release();
        }
    }

    /** Frees every free plan; plans still checked out are freed when they come back. */
    void close() {
        List<BatchPlan> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(free);
            free.clear();
        }
        for (BatchPlan p : all) {
            p.release();
        }
    }
}
