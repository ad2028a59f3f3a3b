package dev.myelin.cpu;

import dev.myelin.Backends;
import dev.myelin.spi.Backend;
import java.util.ArrayList;
import java.util.List;

/** Run by {@link ScalarPathWarningTest} in a JVM without the Vector API: opens CPU backends from four threads. */
final class ScalarPathWarningMain {

    static final String DONE = "opened 12 scalar CPU backends";

    private ScalarPathWarningMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (VectorSupport.available()) {
            throw new IllegalStateException("started with " + VectorSupport.MODULE + ": nothing to check");
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 3; i++) {
                    try (Backend b = Backends.open("cpu")) {
                        b.synchronize();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println(DONE);
    }
}
