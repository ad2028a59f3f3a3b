package dev.myelin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code myelin} command: the entry point the {@code ./myelin} launcher starts.
 * Each subcommand is its own class; add one by naming it in {@code subcommands} below.
 */
@Command(name = "myelin",
        mixinStandardHelpOptions = true,
        versionProvider = MyelinCommand.Version.class,
        description = "Dense neural networks on the CPU (Java Vector API), OpenCL and CUDA backends.",
        subcommands = {
                BackendsCommand.class,
                TrainCommand.class,
                PredictCommand.class,
                EvaluateCommand.class,
                DemoCommand.class,
                ExamplesCommand.class,
                BenchCommand.class,
                ReportCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class MyelinCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a subcommand there is nothing to do: show the usage and report a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** The configured command line; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new MyelinCommand())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().setOut(Terminal.STDOUT).execute(args));
    }

    /** The project version, from the resource Maven filters at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = MyelinCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"Myelin " + p.getProperty("version", "(unknown version)"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
