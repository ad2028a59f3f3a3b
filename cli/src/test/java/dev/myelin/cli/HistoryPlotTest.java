package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryPlotTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    static Map<String, List<Double>> history(double shift) {
        Map<String, List<Double>> h = new LinkedHashMap<>();
        h.put("loss", List.of(1.2 + shift, 0.8 + shift, 0.6 + shift));
        h.put("accuracy", List.of(0.55, 0.71, 0.80));
        h.put("val_loss", List.of(1.3, 0.9, 0.7));
        h.put("val_accuracy", List.of(0.50, 0.68, 0.77));
        return h;
    }

    @Test
    void writesOneChartPerQuantity() throws IOException {
        Path png = dir.resolve("sub/history.png");
        HistoryPlot.write(history(0), "cpu", png);
        BufferedImage image = readPng(png);
        // loss and accuracy, each with its training and validation curve, side by side
        assertEquals(2 * HistoryPlot.CHART_WIDTH, image.getWidth());
        assertEquals(HistoryPlot.CHART_HEIGHT, image.getHeight());
        assertTrue(colours(image) > 3, "the charts draw axes, text and curves in several colours");
        try (var files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void comparesRunsPerQuantityAndSplit() throws IOException {
        Map<String, Map<String, List<Double>>> runs = new LinkedHashMap<>();
        runs.put("cpu", history(0));
        runs.put("opencl", history(0.1));
        Path png = dir.resolve("curves.png");
        HistoryPlot.compare(runs, "Fashion-MNIST", png);
        BufferedImage image = readPng(png);
        // loss, val_loss, accuracy, val_accuracy: two rows of two
        assertEquals(2 * HistoryPlot.CHART_WIDTH, image.getWidth());
        assertEquals(2 * HistoryPlot.CHART_HEIGHT, image.getHeight());
    }

    @Test
    void historyWithoutValidationGivesOneChartPerMetric() throws IOException {
        Path png = dir.resolve("loss.png");
        HistoryPlot.write(Map.of("loss", List.of(0.5, 0.25)), "", png);
        assertEquals(HistoryPlot.CHART_WIDTH, readPng(png).getWidth());
    }

    @Test
    void rejectsAnEmptyHistoryAndLeavesNoFile() {
        Path png = dir.resolve("empty.png");
        var e = assertThrows(IllegalArgumentException.class, () -> HistoryPlot.write(Map.of(), "x", png));
        assertTrue(e.getMessage().contains("history"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> HistoryPlot.write(Map.of("loss", List.of()), "x", png));
        assertTrue(e2.getMessage().contains("'loss'"), e2.getMessage());
        assertFalse(Files.exists(png));
    }

    private static BufferedImage readPng(Path png) throws IOException {
        try (InputStream in = Files.newInputStream(png)) {
            assertArrayEquals(PNG_SIGNATURE, in.readNBytes(PNG_SIGNATURE.length), "PNG signature of " + png);
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "ImageIO decodes " + png);
        return image;
    }

    private static long colours(BufferedImage image) {
        return java.util.stream.IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth())).distinct().limit(100).count();
    }
}
