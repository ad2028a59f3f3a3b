package dev.myelin.cli;

import dev.myelin.bench.report.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code myelin report}: JMH JSON in, Markdown tables and PNG bar charts out. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {
                "Turns JMH JSON files into a Markdown report: per benchmark a table (one column per backend and thread"
                        + " count, speedup against the CPU backend, JMH's error) and a PNG bar chart, after a block"
                        + " describing the machine.",
                "Files the bench command wrote beside a <timestamp>.json (-pytorch.json, .env.json) are read too."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report written", "1:no input, or an input is not JMH JSON"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "JSON",
            description = "JMH result files. Default: the newest <timestamp>.json in the results folder.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-d", "--results"}, paramLabel = "DIR",
            description = "Where to look for the newest run when no JSON is given (default: ${DEFAULT-VALUE}).")
    Path results = Path.of("out", "bench");

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Where the report goes (default: the folder of the first JSON).")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<Path> files = inputs.isEmpty() ? List.of(Report.latest(results)) : inputs;
        Path dir = out != null ? out : files.getFirst().toAbsolutePath().getParent();
        Path md = Report.generate(files, dir);
        var w = spec.commandLine().getOut();
        w.println("report: " + md);
        w.flush();
        return CommandLine.ExitCode.OK;
    }
}
