package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.data.MalformedFileException;
import dev.myelin.io.SafeTensors;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-model files: save mid-training, load (in this JVM and in a new one), continue bit for bit. */
class ModelFileTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        assertEquals(0, backend.liveTensors(), "every tensor is freed when the model closes");
        backend.close();
    }

    static FitOptions twoEpochs() {
        return new FitOptions().epochs(2).batchSize(16).verbose(0);
    }

    @Test
    void aLoadedModelContinuesExactlyAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        Path file = dir.resolve("model.myelin");
        try (Sequential uninterrupted = GradientApiTest.net(backend, new Nadam(0.01f));
                Sequential first = GradientApiTest.net(backend, new Nadam(0.01f))) {
            uninterrupted.fit(d[0], d[1], twoEpochs().epochs(4));
            first.fit(d[0], d[1], twoEpochs());
            first.save(file);
            try (ZipFile zip = new ZipFile(file.toFile())) {
                assertEquals(List.of("config.json", "model.safetensors", "optimizer.safetensors"),
                        zip.stream().map(ZipEntry::getName).toList());
            }
            try (Sequential resumed = Sequential.load(file, backend)) {
                assertEquals(first.iterations(), resumed.iterations());
                assertEquals(first.toJson(), resumed.toJson());
                resumed.fit(d[0], d[1], twoEpochs());
                assertEquals(uninterrupted.iterations(), resumed.iterations());
                assertEquals(uninterrupted.namedWeights(), resumed.namedWeights(), "resumed run, bit for bit");
            }
        }
    }

    @Test
    void aNewJvmContinuesExactly(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        Path file = dir.resolve("model.myelin");
        Path out = dir.resolve("after.safetensors");
        try (Sequential uninterrupted = GradientApiTest.net(backend, new Adam(0.01f));
                Sequential first = GradientApiTest.net(backend, new Adam(0.01f))) {
            uninterrupted.fit(d[0], d[1], twoEpochs().epochs(4));
            first.fit(d[0], d[1], twoEpochs());
            first.save(file);
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ResumeInNewJvm.class.getName(), file.toString(),
                    out.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), log);
            assertEquals(uninterrupted.namedWeights(), SafeTensors.read(out), "resumed in a new JVM, bit for bit");
        }
    }

    /** The child process: loads the model, trains two more epochs on the same data, writes the weights. */
    public static final class ResumeInNewJvm {
        public static void main(String[] args) throws Exception {
            FloatMatrix[] d = GradientApiTest.data(40, 8);
            try (ReferenceBackend b = new ReferenceBackend(); Sequential m = Sequential.load(Path.of(args[0]), b)) {
                m.fit(d[0], d[1], twoEpochs());
                m.saveWeights(Path.of(args[1]));
            }
        }
    }

    @Test
    void toJsonAndFromJsonRoundTripTheArchitecture() throws Exception {
        try (Sequential m = Sequential.of(backend, new Dense(7, "leaky_relu").kernelRegularizer(Regularizer.ofL1(0.02f)),
                new Dropout(0.2f), new Dense(2, "softmax").name("out")).seed(99).input(3)) {
            String json = m.toJson();
            assertTrue(json.contains("\"class_name\": \"Dense\"") && json.contains("\"name\": \"out\""), json);
            try (Sequential copy = Sequential.fromJson(json, backend)) {
                assertEquals(json, copy.toJson());
                m.build(3);
                copy.build(3);
                assertEquals(m.namedWeights(), copy.namedWeights(), "same seed, same architecture, same weights");
            }
        }
    }

    @Test
    void aBadFileFailsWithNothingAllocated(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.myelin");
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            m.save(file);
        }
        Path unknownLayer = dir.resolve("unknown.myelin");
        rewriteConfig(file, unknownLayer, "\"Dropout\"", "\"NoSuchLayer\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sequential.load(unknownLayer, backend));
        assertTrue(e.getMessage().contains("unknown layer type 'NoSuchLayer'"), e.getMessage());
        Path wrongWidth = dir.resolve("width.myelin");
        rewriteConfig(file, wrongWidth, "\"units\": 12", "\"units\": 13");
        e = assertThrows(IllegalArgumentException.class, () -> Sequential.load(wrongWidth, backend));
        assertTrue(e.getMessage().contains("does not fit the model"), e.getMessage());
        Path notAModel = dir.resolve("weights.safetensors");
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f))) {
            m.saveWeights(notAModel);
        }
        assertThrows(java.io.IOException.class, () -> Sequential.load(notAModel, backend));
        assertEquals(0, backend.liveTensors(), "failed loads leave nothing allocated");
    }

    @Test
    void anOptimizerAFileCannotCarryIsRefused(@TempDir Path dir) {
        // A user's schedule is code, not values: a file cannot rebuild it.
        try (Sequential m = GradientApiTest.net(backend, new Adam(0.01f).learningRate(step -> 0.01 / (1 + step)))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.save(dir.resolve("m.myelin")));
            assertTrue(e.getMessage().contains("schedule without a config"), e.getMessage());
            assertTrue(!Files.exists(dir.resolve("m.myelin")), "nothing written");
        }
    }

    private static void rewriteConfig(Path from, Path to, String find, String replace) throws Exception {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream os = Files.newOutputStream(to);
                ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : in.stream().toList()) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("config.json")) {
                    String s = new String(bytes, StandardCharsets.UTF_8);
                    assertTrue(s.contains(find), s);
                    bytes = s.replace(find, replace).getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
    }
}
