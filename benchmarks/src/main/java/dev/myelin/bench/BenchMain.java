package dev.myelin.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Main class of {@code benchmarks.jar}: JMH's own command line, except that when no
 * {@code -p backend=...} is given it benchmarks only the backends that can run here (JMH has no
 * way to skip a parameter value), after printing why each other one is left out.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        if (!namesBackend(jmhArgs) && !onlyLists(jmhArgs)) {
            List<String> usable = BenchBackends.usable(BenchBackends.ALL, new PrintWriter(System.err, true));
            if (usable.isEmpty()) {
                System.err.println("no backend can run here; see the reasons above");
                System.exit(2);
            }
            jmhArgs.add("-p");
            jmhArgs.add("backend=" + String.join(",", usable));
        }
        org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
    }

    /** Listing and help options run no benchmark, so they need no backend. */
    private static boolean onlyLists(List<String> args) {
        return args.stream().anyMatch(a -> List.of("-l", "-lp", "-lrf", "-lprof", "-h", "-help").contains(a));
    }

    private static boolean namesBackend(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-pbackend=") || (a.equals("-p") && i + 1 < args.size()
                    && args.get(i + 1).startsWith("backend="))) {
                return true;
            }
        }
        return false;
    }
}
