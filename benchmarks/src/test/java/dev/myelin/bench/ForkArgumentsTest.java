package dev.myelin.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every benchmark's forked JVM gets the Vector API (else the CPU backend would time its scalar path)
 * and transparent huge pages (see {@link BackendBenchmark}); read from the benchmark list the JMH
 * annotation processor generated, so a suite added without them fails here.
 */
class ForkArgumentsTest {

    @Test
    void everyForkGetsTheVectorApiAndHugePages() {
        Set<BenchmarkListEntry> entries = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of());
        assertFalse(entries.isEmpty(), "no benchmarks in META-INF/BenchmarkList");
        for (BenchmarkListEntry e : entries) {
            Collection<String> args = e.getJvmArgsAppend().orElse(List.of());
            String name = e.getUsername();
            assertTrue(args.containsAll(List.of("--add-modules", "jdk.incubator.vector")),
                    name + ": fork arguments " + args + " lack --add-modules jdk.incubator.vector");
            assertTrue(args.contains("-XX:+UseTransparentHugePages"),
                    name + ": fork arguments " + args + " lack -XX:+UseTransparentHugePages");
        }
    }
}
