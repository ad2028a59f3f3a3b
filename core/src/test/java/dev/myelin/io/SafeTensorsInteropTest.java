package dev.myelin.io;

import dev.myelin.data.MalformedFileException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by numpy (make_fixture.py) read right, and files Myelin writes read right in numpy. */
class SafeTensorsInteropTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(SafeTensorsInteropTest.class.getResource(name).toURI());
    }

    @Test
    void readsTheNumpyFixture() throws Exception {
        SafeTensors.Contents contents = SafeTensors.readWithMetadata(resource("numpy_fixture.safetensors"));
        LinkedHashMap<String, FloatMatrix> t = contents.tensors();
        assertEquals(List.of("layer0.bias", "layer0.weight", "scalar", "specials"), List.copyOf(t.keySet()),
                "header order");
        assertEquals(Map.of("format", "np", "producer", "make_fixture.py"), contents.metadata());

        FloatMatrix weight = t.get("layer0.weight");
        assertEquals(3, weight.rows());
        assertEquals(4, weight.cols());
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals((r * 4 + c) * 0.5f - 2.25f, weight.get(r, c), "weight[" + r + "][" + c + "]");
            }
        }
        FloatMatrix bias = t.get("layer0.bias");
        assertEquals(1, bias.rows(), "a 1-D tensor reads as one row");
        assertEquals(4, bias.cols());
        float[] expectedBias = {0.1f, -0.2f, 0.3f, 1e-8f};
        for (int i = 0; i < 4; i++) {
            assertEquals(Float.floatToRawIntBits(expectedBias[i]), Float.floatToRawIntBits(bias.data()[i]), "bias " + i);
        }
        FloatMatrix scalar = t.get("scalar");
        assertEquals(new FloatMatrix(1, 1, new float[] {3.5f}), scalar);

        float[] specials = t.get("specials").data();
        assertTrue(Float.isNaN(specials[0]));
        assertEquals(Float.POSITIVE_INFINITY, specials[1]);
        assertEquals(Float.NEGATIVE_INFINITY, specials[2]);
        assertEquals(0x80000000, Float.floatToRawIntBits(specials[3]), "-0.0");
        assertEquals(Float.MIN_VALUE, specials[4], "smallest subnormal");
    }

    @Test
    void refusesTheNumpyFloat64FixtureByDtype() throws Exception {
        Path file = resource("f64_fixture.safetensors");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains("dtype F64"), e.getMessage());
        assertTrue(e.getMessage().contains("F32"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void numpyReadsWhatMyelinWrites() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + " on this machine to cross-check with numpy");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "numpy is not installed for " + PYTHON + " (Debian: python3-numpy)");

        LinkedHashMap<String, FloatMatrix> t = new LinkedHashMap<>();
        t.put("w", new FloatMatrix(2, 3, new float[] {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, 1e-40f, -7f}));
        t.put("b", new FloatMatrix(1, 2, new float[] {0.25f, 3f}));
        Path file = dir.resolve("myelin.safetensors");
        SafeTensors.write(file, t, Map.of("format", "myelin"));

        Process python = new ProcessBuilder(PYTHON.toString(), resource("read_with_numpy.py").toString(), file.toString())
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = python.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        assertTrue(python.waitFor(60, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, python.exitValue(), out);
        StringBuilder expected = new StringBuilder("{\"__metadata__\": {\"format\": \"myelin\"}");
        for (Map.Entry<String, FloatMatrix> e : t.entrySet()) {
            expected.append(", \"").append(e.getKey()).append("\": {\"shape\": [").append(e.getValue().rows())
                    .append(", ").append(e.getValue().cols()).append("], \"bits\": [");
            float[] data = e.getValue().data();
            for (int i = 0; i < data.length; i++) {
                expected.append(i == 0 ? "" : ", ").append(Integer.toUnsignedLong(Float.floatToRawIntBits(data[i])));
            }
            expected.append("]}");
        }
        expected.append('}');
        assertEquals(expected.toString(), out);
    }
}
