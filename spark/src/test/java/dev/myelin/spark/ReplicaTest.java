package dev.myelin.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cpu.CpuBackend;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Concurrent tasks get distinct backends with spark.task.cpus threads and the Vector API. */
class ReplicaTest {

    /** Filled by the tasks (local mode: the same JVM). */
    static final ConcurrentLinkedQueue<Backend> SEEN = new ConcurrentLinkedQueue<>();

    @Test
    void concurrentTasksNeverShareABackend() {
        ModelBlob blob;
        try (CpuBackend b = new CpuBackend(1); Sequential m = ScoringTest.SPEC.build(b)) {
            blob = ModelBlob.of(ScoringTest.SPEC, m);
        }
        SEEN.clear();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        List<String> facts = jsc.parallelize(List.of(0, 1, 2, 3, 4, 5), 6).map(i -> {
            try (Replica r = Replica.open(blob, "cpu")) {
                SEEN.add(r.backend());
                long until = System.nanoTime() + 5_000_000_000L;
                // Hold the replica until the other task thread holds one too (or 5 s pass).
                while (Replica.inUse() < 2 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                CpuBackend cpu = (CpuBackend) r.backend();
                return cpu.threads() + " " + cpu.vectorized() + " "
                        + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
            }
        }).collect();
        for (String f : facts) {
            assertEquals("1 true true", f, "threads = spark.task.cpus, vectorised, Vector API module present");
        }
        Set<Backend> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(SEEN);
        assertEquals(6, distinct.size(), "every task had its own backend instance");
        assertTrue(Replica.peakInUse() >= 2, "two tasks held replicas at the same time");
        assertEquals(0, Replica.inUse());
        assertEquals(0, Replica.leakedTensors());
        for (Backend b : distinct) {
            assertTrue(b.isClosed(), "each task's backend is closed when the task ends");
        }
    }
}
