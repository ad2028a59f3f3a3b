package dev.myelin.bench.report;

import dev.myelin.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/** A PNG bar chart of one {@link WorkloadTable}: workloads along x, one bar per column, JMH's error as whiskers. */
public final class BarChart {

    private BarChart() {
    }

    /** Writes {@code table} as a PNG to {@code file} (which must end in {@code .png}). */
    public static void write(WorkloadTable table, Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".png")) {
            throw new IllegalArgumentException("file: expected a name ending in .png, got " + file);
        }
        int width = Math.max(900, 90 * table.rows().size() * Math.max(1, table.columns().size()) / 2);
        CategoryChart chart = new CategoryChartBuilder().width(Math.min(width, 2400)).height(560)
                .title(table.title() + " (" + table.unit() + ", higher is better)")
                .xAxisTitle("").yAxisTitle(table.unit()).build();
        CategoryStyler styler = chart.getStyler();
        chart.getStyler().setXAxisLabelRotation(table.rows().size() > 4 ? 30 : 0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        // Throughput is never negative; a wide error whisker is clipped at the axis instead of below it.
        styler.setYAxisMin(0.0);
        for (WorkloadTable.Column col : table.columns()) {
            List<String> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String row : table.rows()) {
                WorkloadTable.Cell c = table.cell(row, col);
                xs.add(row);
                // XChart draws no bar for a zero; a missing measurement stays visibly absent.
                ys.add(c == null ? 0.0 : c.value());
                errors.add(c == null || Double.isNaN(c.error()) ? 0.0 : c.error());
            }
            chart.addSeries(col.label(), xs, ys, errors);
        }
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        AtomicFile.write(file, channel -> {
            if (!ImageIO.write(image, "png", Channels.newOutputStream(channel))) {
                throw new IOException("no PNG writer in this JVM");
            }
        });
    }
}
