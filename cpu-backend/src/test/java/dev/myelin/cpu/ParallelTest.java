package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void claimedPiecesCoverEveryIndexOnceAndKeepTheirAlignment() {
        try (Parallel parallel = new Parallel(2)) {
            for (int call = 0; call < 300; call++) {
                int n = 1 + call % 211;
                int chunks = 1 + call % 9;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                parallel.runClaimed(2, chunks, n, 4, (part, from, to) -> {
                    assertEquals(0, from % 4, "piece start " + from + " for n=" + n);
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "index " + i + " of n=" + n + ", chunks=" + chunks);
                }
            }
        }
    }

    @Test
    void aSlowThreadClaimsFewerPieces() {
        try (Parallel parallel = new Parallel(2)) {
            int[] piecesByPart = new int[2];
            AtomicIntegerArray hits = new AtomicIntegerArray(64);
            parallel.runClaimed(2, 16, 64, 1, (part, from, to) -> {
                piecesByPart[part]++;
                if (part == 1) {
                    sleep(200); // the worker's core is "busy": the caller should take the other pieces
                }
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            assertEquals(16, piecesByPart[0] + piecesByPart[1]);
            // A fixed split would give the worker 8 pieces; claimed, it holds at most the one it slept in.
            assertTrue(piecesByPart[1] <= 1, "worker ran " + piecesByPart[1] + " pieces");
            for (int i = 0; i < 64; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
