package dev.myelin.spark;

import dev.myelin.Backends;
import dev.myelin.cpu.CpuBackend;
import dev.myelin.cpu.CpuBackendProvider;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.TaskContext;

/**
 * A task's private model: a new backend instance and a model rebuilt from a {@link ModelBlob} on it.
 * Every task opens its own, so no two concurrent tasks ever share a backend (a backend runs one queue;
 * {@link Backends#get()} is one instance per JVM), and closing it frees everything the task allocated.
 * The CPU backend gets {@code spark.task.cpus} threads, so N concurrent tasks on an executor use
 * N x task.cpus cores, as Spark's scheduler assumes.
 */
final class Replica implements AutoCloseable {

    private static final Set<Backend> IN_USE = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private static final AtomicInteger OPENED = new AtomicInteger();
    private static final AtomicInteger PEAK = new AtomicInteger();
    private static final AtomicLong LEAKED_TENSORS = new AtomicLong();

    private final Backend backend;
    private final Sequential model;
    private boolean closed;

    private Replica(Backend backend, Sequential model) {
        this.backend = backend;
        this.model = model;
    }

    /** A replica of {@code blob} on a new instance of the backend named {@code backendName}. */
    static Replica open(ModelBlob blob, String backendName) {
        return open(blob.spec(), blob.safetensors(), backendName);
    }

    /**
     * A replica of {@code spec} on a new instance of the backend named {@code backendName}, with the
     * weights of {@code safetensors}, or the spec's seeded initial weights when that is {@code null}.
     */
    static Replica open(ModelSpec spec, byte[] safetensors, String backendName) {
        Backend backend = newBackend(backendName);
        if (!IN_USE.add(backend)) {
            backend.close();
            throw new IllegalStateException("a backend instance was handed to two tasks at once");
        }
        PEAK.accumulateAndGet(IN_USE.size(), Math::max);
        OPENED.incrementAndGet();
        try {
            return new Replica(backend, safetensors == null ? spec.build(backend)
                    : new ModelBlob(spec, safetensors).materialize(backend));
        } catch (RuntimeException | Error e) {
            IN_USE.remove(backend);
            backend.close();
            throw e;
        }
    }

    /** The replica's model. */
    Sequential model() {
        return model;
    }

    /** The replica's backend (tests compare identities). */
    Backend backend() {
        return backend;
    }

    /** Closes the model, then the backend, counting any tensor the model did not free. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            model.close();
            LEAKED_TENSORS.addAndGet(backend.liveTensors());
        } finally {
            IN_USE.remove(backend);
            backend.close();
        }
    }

    /** The threads one task may use: {@code spark.task.cpus} inside a task, else 1. */
    static int taskThreads() {
        TaskContext tc = TaskContext.get();
        return tc == null ? 1 : Math.max(1, tc.cpus());
    }

    private static Backend newBackend(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase(CpuBackendProvider.NAME)) {
            return new CpuBackend(taskThreads());
        }
        return Backends.open(name);
    }

    /** Replicas open right now in this JVM. */
    static int inUse() {
        return IN_USE.size();
    }

    /** Replicas opened in this JVM so far. */
    static int opened() {
        return OPENED.get();
    }

    /** The most replicas that were open at once in this JVM. */
    static int peakInUse() {
        return PEAK.get();
    }

    /** Tensors that were still live on a replica's backend after its model was closed (0 when nothing leaks). */
    static long leakedTensors() {
        return LEAKED_TENSORS.get();
    }
}
