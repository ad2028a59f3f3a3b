package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexIsCoveredOnceOverManyReusedCalls() {
        try (Parallel parallel = new Parallel(3)) {
            for (int call = 0; call < 500; call++) {
                int n = 1 + call % 97;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                parallel.run(3, n, 4, (part, from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                int[] expected = new int[n];
                java.util.Arrays.fill(expected, 1);
                int[] actual = new int[n];
                for (int i = 0; i < n; i++) {
                    actual[i] = hits.get(i);
                }
                assertArrayEquals(expected, actual, "n=" + n);
            }
        }
    }

    @Test
    void aWorkersFailureReachesTheCallerAndThePoolStaysUsable() {
        try (Parallel parallel = new Parallel(2)) {
            IllegalStateException boom = new IllegalStateException("part 1 failed");
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> parallel.run(2, 100, 1, (part, from, to) -> {
                        if (part == 1) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown);
            int[] sum = new int[2];
            parallel.run(2, 100, 1, (part, from, to) -> sum[part] = to - from);
            assertEquals(100, sum[0] + sum[1]);
        }
    }

    @Test
    void aNestedCallRunsTheWholeRangeOnItsOwnThread() {
        try (Parallel parallel = new Parallel(2)) {
            int[] inner = new int[2];
            parallel.run(2, 2, 1, (part, from, to) -> parallel.run(2, 10, 1, (p, f, t) -> inner[part] += t - f));
            assertArrayEquals(new int[] {10, 10}, inner);
        }
    }
}
