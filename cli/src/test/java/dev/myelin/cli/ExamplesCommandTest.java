package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesCommandTest {

    @Test
    void perceptronLearnsTheSeparableGatesAndNotXor() {
        CommandRun run = CommandRun.of("examples", "logic-gates");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("AND +0001 +0001 +yes .*")), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("OR +0111 +0111 +yes .*")), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("NAND +1110 +1110 +yes .*")), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("XOR +0110 +[01]{4} +no +100 .*")), run::toString);
    }

    @Test
    void mlpLearnsXor() {
        CommandRun run = CommandRun.of("examples", "xor");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("accuracy: 1.0000"), run::toString);
    }

    @Test
    void irisReportsEachClass() {
        CommandRun run = CommandRun.of("examples", "iris", "--epochs", "50");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(TrainCommandTest.testAccuracy(run) >= 0.8, run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("Iris-setosa +10 +[01]\\.\\d{4}")), run::toString);
    }

    @Test
    void fashionMnistFromADataDirectory(@TempDir Path dir) throws IOException {
        Path data = IdxFixture.write(dir, 300, 100, 5);
        CommandRun run = CommandRun.of("examples", "fashion-mnist", "--data-dir", data.toString(), "--epochs", "2");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("Ankle boot +10 +[01]\\.\\d{4}")), run::toString);
    }

    @Test
    void withoutAnExampleTheChoicesAreShown() {
        CommandRun run = CommandRun.of("examples");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("logic-gates"), run::toString);
        assertTrue(run.err().contains("fashion-mnist"), run::toString);
    }

    @Test
    void everyExampleHasHelp() {
        for (String example : new String[] {"logic-gates", "xor", "iris", "fashion-mnist"}) {
            CommandRun run = CommandRun.of("examples", example, "--help");
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().contains("Usage: myelin examples " + example), run::toString);
        }
    }
}
