package dev.myelin.cli;

import dev.myelin.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code myelin backends}: every backend on the class path, its device, and why it can or cannot run. */
@Command(name = "backends",
        mixinStandardHelpOptions = true,
        description = {
                "Lists every backend, its device and why it is or is not usable; '*' marks the default.",
                "Choose another with -Dmyelin.backend=NAME or MYELIN_BACKEND=NAME"
                        + " (a name or a comma list of preferences)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:at least one backend can run here", "1:no backend can run here"})
public final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(Backends.describe());
        out.flush();
        return Backends.availableNames().isEmpty() ? CommandLine.ExitCode.SOFTWARE : CommandLine.ExitCode.OK;
    }
}
