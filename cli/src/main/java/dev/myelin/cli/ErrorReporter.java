package dev.myelin.cli;

import dev.myelin.spi.MyelinException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns a failure inside a command into one line a person can act on, and exit code 1.
 * Errors a user causes (a bad file, an unavailable backend, an invalid setting) need no stack trace;
 * anything else is a defect, so its stack trace is printed too.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        var err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText("myelin " + cmd.getCommandName() + ": " + message(ex)));
        if (!isUserError(ex)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    static boolean isUserError(Throwable t) {
        return t instanceof MyelinException
                || t instanceof IllegalArgumentException
                || t instanceof IOException
                || t instanceof UncheckedIOException
                || t instanceof CommandFailure;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.toString() : m;
    }
}
