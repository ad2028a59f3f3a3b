package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Argument handling common to every command: help, version, usage errors. */
class CommandLineTest {

    static Stream<String> commands() {
        return MyelinCommand.commandLine().getSubcommands().keySet().stream().filter(n -> !n.equals("help"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandHasHelp(String command) {
        CommandRun run = CommandRun.of(command, "--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Usage: myelin " + command), run::toString);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandRejectsAnUnknownOptionWithExitCode2(String command) {
        CommandRun run = CommandRun.of(command, "--no-such-option");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Unknown option: '--no-such-option'"), run::toString);
        assertTrue(run.err().contains("Usage: myelin " + command), "the usage follows the error: " + run);
    }

    @Test
    void topLevelHelpListsTheCommands() {
        CommandRun run = CommandRun.of("--help");
        assertEquals(0, run.exitCode(), run::toString);
        for (String command : commands().toList()) {
            assertTrue(run.out().contains(command), "help lists " + command + ": " + run);
        }
    }

    @Test
    void helpSubcommandShowsACommandsHelp() {
        CommandRun run = CommandRun.of("help", "backends");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Usage: myelin backends"), run::toString);
    }

    @Test
    void noCommandIsAUsageError() {
        CommandRun run = CommandRun.of();
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Usage: myelin"), run::toString);
    }

    @Test
    void unknownCommandIsAUsageError() {
        CommandRun run = CommandRun.of("frobnicate");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("frobnicate"), run::toString);
    }

    @Test
    void versionNamesTheProjectVersionAndTheJava() {
        CommandRun run = CommandRun.of("--version");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("Myelin 0."), run::toString);
        assertFalse(run.out().contains("${"), "the version resource is filtered: " + run);
        assertTrue(run.out().contains("Java " + Runtime.version().feature()), run::toString);
    }

    @Test
    void commandsAreListedOncePerName() {
        List<String> names = commands().toList();
        assertEquals(names.stream().distinct().count(), names.size(), names::toString);
    }
}
