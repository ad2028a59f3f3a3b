package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.Backends;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --save/--checkpoint/--resume with whole-model files, then predict and evaluate from them. */
class ModelFileCommandsTest {

    @TempDir
    Path dir;

    private CommandRun train(String... extra) {
        String[] base = {"train", "iris", "--layers", "8", "--batch-size", "16", "--backend", "cpu"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CommandRun run = CommandRun.of(args);
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes() throws Exception {
        Path whole = dir.resolve("whole.myelin");
        Path half = dir.resolve("half.myelin");
        Path checkpoint = dir.resolve("checkpoint.myelin");
        Path resumed = dir.resolve("resumed.myelin");
        train("--epochs", "6", "--save", whole.toString());
        train("--epochs", "3", "--checkpoint", checkpoint.toString(), "--save", half.toString());
        CommandRun again = train("--epochs", "3", "--resume", checkpoint.toString(), "--save", resumed.toString());
        assertTrue(again.out().contains("from iteration 21"), again::toString);
        try (Backend b = Backends.open("cpu"); Sequential a = Sequential.load(whole, b);
                Sequential h = Sequential.load(half, b); Sequential c = Sequential.load(checkpoint, b);
                Sequential r = Sequential.load(resumed, b)) {
            assertEquals(h.namedWeights(), c.namedWeights(), "the last checkpoint is the final model");
            assertNotEquals(a.namedWeights(), h.namedWeights());
            assertEquals(a.iterations(), r.iterations());
            assertEquals(a.namedWeights(), r.namedWeights(), "3 + 3 resumed epochs = 6 epochs, bit for bit");
        }
        CommandRun eval = CommandRun.of("evaluate", whole.toString(), "iris", "--backend", "cpu");
        assertEquals(0, eval.exitCode(), eval::toString);
        assertTrue(eval.out().matches("(?s).*Test: +loss: [0-9.]+ - accuracy: [0-9.]+ \\(30 samples\\).*"), eval::toString);
        CommandRun predict = CommandRun.of("predict", whole.toString(), "iris", "--backend", "cpu");
        assertEquals(0, predict.exitCode(), predict::toString);
        assertTrue(predict.out().contains("sample,predicted,label,output\n0,"), predict::toString);
        assertEquals(31, predict.out().lines().filter(l -> l.matches("\\d+,\\d,\\d,.*|sample,.*")).count(),
                predict::toString);
    }

    @Test
    void badModelFilesAreRefusedBeforeAnyWork() throws Exception {
        CommandRun missing = CommandRun.of("evaluate", dir.resolve("none.myelin").toString(), "iris");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.err().contains("none.myelin does not exist"), missing::toString);
        CommandRun wrongExtension = CommandRun.of("train", "iris", "--checkpoint", dir.resolve("c.bin").toString());
        assertNotEquals(0, wrongExtension.exitCode());
        assertTrue(wrongExtension.err().contains("must end in .myelin"), wrongExtension::toString);
        Path model = dir.resolve("iris.myelin");
        train("--epochs", "1", "--save", model.toString());
        Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,1,0\n2,3,1\n4,5,0\n6,7,1\n"
                + "8,9,0\n1,3,1\n");
        CommandRun mismatch = CommandRun.of("evaluate", model.toString(), "csv:" + dir.resolve("data.csv"), "--backend",
                "cpu");
        assertNotEquals(0, mismatch.exitCode());
        assertTrue(mismatch.err().contains("takes 4 features and gives 3 outputs"), mismatch::toString);
    }
}
