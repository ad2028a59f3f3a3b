package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSVLogger writes Keras's columns and cells; LambdaCallback calls the lambdas it was given. */
class CSVLoggerTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void rowsHoldEpochThenSortedKeysWithNaForMissingValidation(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        Path file = dir.resolve("log.csv");
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            History h = m.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(16).verbose(0).validationSplit(0.25)
                    .validationFreq(2).callbacks(new CSVLogger(file)));
            List<String> lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\r\n", -1));
            assertEquals("epoch,accuracy,loss,val_accuracy,val_loss", lines.get(0));
            assertEquals("0," + PythonFormat.repr(h.get("accuracy").get(0)) + "," + PythonFormat.repr(h.get("loss")
                    .get(0)) + ",NA,NA", lines.get(1), "no validation in epoch 0; Keras adds the val_ columns");
            assertEquals("1," + PythonFormat.repr(h.get("accuracy").get(1)) + "," + PythonFormat.repr(h.get("loss")
                    .get(1)) + "," + PythonFormat.repr(h.last("val_accuracy")) + "," + PythonFormat.repr(h.last("val_loss")),
                    lines.get(2));
            assertEquals("", lines.get(3), "every row ends in \\r\\n, as Python's csv");
            m.fit(d[0], d[1], new FitOptions().epochs(3).initialEpoch(2).batchSize(16).verbose(0)
                    .callbacks(new CSVLogger(file, ";", true)));
            List<String> appended = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\r\n"));
            assertEquals(4, appended.size(), "appended one row, no second header: " + appended);
            assertTrue(appended.get(3).startsWith("2;"), appended.get(3));
        }
    }

    @Test
    void lambdaCallbackCallsItsLambdas() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        StringBuilder calls = new StringBuilder();
        LambdaCallback c = LambdaCallback.builder()
                .onTrainBegin(model -> calls.append("begin "))
                .onEpochBegin(epoch -> calls.append("e").append(epoch).append(' '))
                .onTrainBatchBegin(batch -> calls.append('b'))
                .onTrainBatchEnd((batch, logs) -> calls.append(logs.containsKey("loss") ? "L " : "? "))
                .onEpochEnd((epoch, logs) -> calls.append("end").append(epoch).append(' '))
                .onTrainEnd(logs -> calls.append("done"))
                .build();
        assertTrue(c.needsBatchLogs(), "a batch-end lambda gets the running logs");
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            m.fit(d[0], d[1], new FitOptions().epochs(1).batchSize(20).verbose(0).callbacks(c));
        }
        assertEquals("begin e0 bL bL end0 done", calls.toString());
        assertTrue(!LambdaCallback.builder().onEpochEnd((e, l) -> { }).build().needsBatchLogs());
    }
}
