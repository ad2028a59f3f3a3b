package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import org.junit.jupiter.api.Test;

class BackendsCommandTest {

    @Test
    void listsEveryProviderAndTheDefault() {
        CommandRun run = CommandRun.of("backends");
        for (String name : Backends.providers().keySet()) {
            assertTrue(run.out().lines().anyMatch(l -> l.substring(2).startsWith(name + " ")),
                    "a line for " + name + ": " + run);
        }
        boolean usable = !Backends.availableNames().isEmpty();
        assertEquals(usable ? 0 : 1, run.exitCode(), run::toString);
        if (usable) {
            String chosen = Backends.defaultName();
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith("* " + chosen + " ")), "default marked: " + run);
            assertTrue(run.out().contains("default: " + chosen), run::toString);
        }
    }

    @Test
    void theJavaCpuBackendIsAlwaysAvailable() {
        // The CLI depends on myelin-cpu, which runs everywhere (a scalar path without the Vector API module).
        CommandRun run = CommandRun.of("backends");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.substring(2).startsWith("cpu     available ")), run::toString);
    }

    @Test
    void rejectsArguments() {
        CommandRun run = CommandRun.of("backends", "cpu");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Unmatched argument"), run::toString);
    }
}
