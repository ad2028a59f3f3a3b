package dev.myelin.bench;

import dev.myelin.Backends;
import dev.myelin.spi.Availability;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Which of the benchmarked backends can run here; the others are reported once with their reason. */
public final class BenchBackends {

    /** The backends the suites are written for, in the order their columns appear. */
    public static final List<String> ALL = List.of("cpu", "opencl", "cuda");

    private BenchBackends() {
    }

    /**
     * The names in {@code wanted} (a subset of {@link #ALL}) whose probe says available, in the order
     * of {@link #ALL}; prints one line to {@code log} for each wanted backend left out, with the reason.
     */
    public static List<String> usable(List<String> wanted, PrintWriter log) {
        for (String w : wanted) {
            if (!ALL.contains(w)) {
                throw new IllegalArgumentException("backend: expected one of " + ALL + ", got '" + w + "'");
            }
        }
        List<Availability> probes = Backends.probeAll();
        List<String> usable = new ArrayList<>();
        for (String name : ALL) {
            if (!wanted.contains(name)) {
                continue;
            }
            Availability a = probes.stream().filter(p -> p.backend().equals(name)).findFirst().orElse(null);
            if (a == null) {
                log.println("skipping backend " + name + ": no provider on the class path");
            } else if (!a.available()) {
                log.println("skipping backend " + name + ": " + a.detail());
            } else {
                usable.add(name);
            }
        }
        return usable;
    }
}
