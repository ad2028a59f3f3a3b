package dev.myelin.spark;

import org.apache.spark.TaskContext;

/**
 * A fault to inject into the first attempt of one training task, for tests of Spark's task retry in local
 * mode (where tasks run in the driver's JVM, so a static field reaches them). Off unless a test arms it.
 */
final class TaskFaults {

    private static volatile int partition = -1;
    private static volatile long step = -1;
    private static volatile int fired;

    private TaskFaults() {
    }

    /** Makes the first attempt of the task for {@code partition} at global step {@code step} throw. */
    static void failOnce(int partition, long step) {
        TaskFaults.step = step;
        TaskFaults.partition = partition;
        fired = 0;
    }

    /** Turns the fault off. */
    static void clear() {
        partition = -1;
        step = -1;
    }

    /** How many times the armed fault has fired. */
    static int fired() {
        return fired;
    }

    /** Throws when the armed fault matches this task's first attempt. */
    static void check(int p, long s) {
        TaskContext tc = TaskContext.get();
        if (p == partition && s == step && tc != null && tc.attemptNumber() == 0) {
            fired++;
            throw new IllegalStateException("injected fault: partition " + p + ", step " + s + ", attempt 0");
        }
    }
}
