package dev.myelin.spark;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the module's JMH benchmarks; every fork gets this JVM's own options (the Vector API module and
 * Spark's {@code --add-opens} list), which JMH's annotations cannot hold as one shared constant. Usage,
 * from the repository root after {@code mvn -Pspark test-compile -pl spark -am}:
 *
 * <pre>
 * java $(spark JVM options, see spark/pom.xml) -cp spark/target/test-classes:spark/target/classes:DEPS \
 *     dev.myelin.spark.SparkBench [JMH options, e.g. ScoringBenchmark -rf json]
 * </pre>
 */
public final class SparkBench {

    private SparkBench() {
    }

    /** Runs JMH with the command line's options and this JVM's options appended to every fork's. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList();
        new Runner(new OptionsBuilder().parent(new CommandLineOptions(args)).jvmArgsAppend(jvm.toArray(String[]::new))
                .build()).run();
    }
}
