package dev.myelin.cli;

import dev.myelin.io.AtomicFile;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Training curves as a PNG: one chart per quantity (the loss, then each metric), epochs on the
 * x axis. Histories are Keras-style maps: {@code loss}, {@code accuracy}, ... with the validation
 * values under {@code val_loss}, {@code val_accuracy}, ..., one value per epoch.
 */
public final class HistoryPlot {

    static final int CHART_WIDTH = 640;
    static final int CHART_HEIGHT = 420;
    private static final int COLUMNS = 2;
    private static final String VALIDATION = "val_";

    private HistoryPlot() {
    }

    /** One chart per quantity of one training run, with its training and validation curves. */
    public static void write(Map<String, ? extends List<? extends Number>> history, String title, Path png)
            throws IOException {
        check(history, "history");
        List<XYChart> charts = new ArrayList<>();
        for (String quantity : quantities(history.keySet())) {
            XYChart chart = chart(title, quantity);
            addSeries(chart, "training", history.get(quantity));
            addSeries(chart, "validation", history.get(VALIDATION + quantity));
            charts.add(chart);
        }
        save(charts, png);
    }

    /**
     * Compares runs (e.g. one per backend): one chart per quantity and per split, one curve per run.
     * {@code runs} maps a run's label to its history.
     */
    public static void compare(Map<String, ? extends Map<String, ? extends List<? extends Number>>> runs,
                               String title, Path png) throws IOException {
        Objects.requireNonNull(runs, "HistoryPlot.compare: argument 'runs' is null");
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(
                    "HistoryPlot.compare: argument 'runs' must hold at least one run, got none");
        }
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach((label, history) -> {
            check(history, "history of run '" + label + "'");
            keys.addAll(history.keySet());
        });
        List<XYChart> charts = new ArrayList<>();
        for (String quantity : quantities(keys)) {
            for (String key : List.of(quantity, VALIDATION + quantity)) {
                if (!keys.contains(key)) {
                    continue;
                }
                XYChart chart = chart(title, key);
                runs.forEach((label, history) -> addSeries(chart, label, history.get(key)));
                charts.add(chart);
            }
        }
        save(charts, png);
    }

    /** The training quantities, loss first, in the order the history lists them. */
    private static List<String> quantities(Set<String> keys) {
        Set<String> out = new LinkedHashSet<>();
        if (keys.contains("loss") || keys.contains(VALIDATION + "loss")) {
            out.add("loss");
        }
        for (String k : keys) {
            out.add(k.startsWith(VALIDATION) ? k.substring(VALIDATION.length()) : k);
        }
        return List.copyOf(out);
    }

    private static void check(Map<String, ? extends List<? extends Number>> history, String what) {
        Objects.requireNonNull(history, "HistoryPlot: " + what + " is null");
        if (history.isEmpty()) {
            throw new IllegalArgumentException("HistoryPlot: " + what + " must hold at least one quantity, got none");
        }
        history.forEach((key, values) -> {
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("HistoryPlot: " + what + " has no values for '" + key + "'");
            }
        });
    }

    private static XYChart chart(String title, String quantity) {
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT)
                .title(title.isEmpty() ? quantity : title + ": " + quantity)
                .xAxisTitle("epoch").yAxisTitle(quantity).build();
        // Below the plot the legend never hides a curve, whichever way the curves run.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    private static void addSeries(XYChart chart, String name, List<? extends Number> values) {
        if (values == null) {
            return;
        }
        List<Integer> epochs = new ArrayList<>(values.size());
        for (int e = 1; e <= values.size(); e++) {
            epochs.add(e);
        }
        chart.addSeries(name, epochs, values);
    }

    /** Lays the charts out two to a row and writes them with {@link AtomicFile}, so no half PNG is left. */
    private static void save(List<XYChart> charts, Path png) throws IOException {
        Objects.requireNonNull(png, "HistoryPlot: argument 'png' is null");
        int columns = Math.min(COLUMNS, charts.size());
        int rows = (charts.size() + columns - 1) / columns;
        BufferedImage image = new BufferedImage(columns * CHART_WIDTH, rows * CHART_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)),
                        (i % columns) * CHART_WIDTH, (i / columns) * CHART_HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        AtomicFile.write(png, channel -> {
            if (!ImageIO.write(image, "png", Channels.newOutputStream(channel))) {
                throw new IOException("no PNG writer in this JVM");
            }
        });
    }
}
