package dev.myelin.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the report: title, sources, environment block, then per benchmark a table and its chart. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /**
     * @param sources the input files, as they should be named in the text
     * @param env     the environment block
     * @param tables  the tables
     * @param charts  for each table's benchmark, the chart's file name relative to the Markdown file (may be absent)
     * @param peerTimings how the PyTorch columns were timed; empty without PyTorch columns
     */
    public static String render(List<String> sources, Environment env, List<WorkloadTable> tables,
            Map<String, String> charts, List<PeerTiming> peerTimings) {
        StringBuilder sb = new StringBuilder("# Myelin benchmark report\n\n");
        sb.append("From ").append(String.join(", ", sources.stream().map(s -> "`" + s + "`").toList()))
                .append(".\n\n");
        sb.append("Throughput is computed from the time per call (JMH's mean for Myelin's backends): ")
                .append("GFLOP/s = 2·m·n·k / s for GEMM; ")
                .append("GB/s = bytes read + written / s for element-wise ops, reductions and optimizer updates ")
                .append("(each operand touched once); samples/s for training. ± is JMH's error, the half-width ")
                .append("of the 99.9 % confidence interval, carried over to the rate. \"X vs cpu\" is X's ")
                .append("throughput over the CPU backend's: at the same thread count for PyTorch, against the ")
                .append("fastest CPU column for a GPU backend. Every operation is followed by synchronize(), ")
                .append("so GPU times include the wait for the device.\n\n");
        peerTimings.forEach(t -> sb.append(t.legend()).append("\n\n"));
        sb.append("## Environment\n\n").append(env.toMarkdown()).append('\n');
        for (WorkloadTable t : tables) {
            sb.append("## ").append(t.title()).append(" (").append(t.unit()).append(")\n\n");
            appendTable(sb, t);
            if (t.hasAllocation()) {
                appendAllocation(sb, t);
            }
            String chart = charts.get(t.benchmark());
            if (chart != null) {
                sb.append("\n![").append(t.title()).append("](").append(chart).append(")\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void appendTable(StringBuilder sb, WorkloadTable t) {
        List<WorkloadTable.Column> compared = t.hasCpuColumn() ? t.comparedColumns() : List.of();
        sb.append("| workload |");
        t.columns().forEach(c -> sb.append(' ').append(c.label()).append(" |"));
        compared.forEach(c -> sb.append(' ').append(c.label()).append(" vs cpu |"));
        sb.append("\n|---|");
        sb.append("---:|".repeat(t.columns().size() + compared.size()));
        sb.append('\n');
        for (String row : t.rows()) {
            sb.append("| ").append(Markdown.escape(row)).append(" |");
            for (WorkloadTable.Column c : t.columns()) {
                WorkloadTable.Cell cell = t.cell(row, c);
                sb.append(' ').append(cell == null ? "—" : valueWithError(cell)).append(" |");
            }
            for (WorkloadTable.Column c : compared) {
                double s = t.speedup(row, c);
                sb.append(' ').append(Double.isNaN(s) ? "—" : String.format(Locale.ROOT, "%.2f×", s)).append(" |");
            }
            sb.append('\n');
        }
    }

    private static void appendAllocation(StringBuilder sb, WorkloadTable t) {
        sb.append("\nAllocated per call (JMH `-prof gc`, gc.alloc.rate.norm), bytes. A training step's figure includes"
                + " the fresh model its benchmark builds for every iteration, spread over that iteration's steps"
                + " (the CPU backend's tests check a warm step alone):\n\n| workload |");
        t.columns().forEach(c -> sb.append(' ').append(c.label()).append(" |"));
        sb.append("\n|---|").append("---:|".repeat(t.columns().size())).append('\n');
        for (String row : t.rows()) {
            sb.append("| ").append(Markdown.escape(row)).append(" |");
            for (WorkloadTable.Column c : t.columns()) {
                WorkloadTable.Cell cell = t.cell(row, c);
                boolean known = cell != null && !Double.isNaN(cell.allocPerCall());
                sb.append(' ').append(known ? String.format(Locale.ROOT, "%,.0f", cell.allocPerCall()) : "—")
                        .append(" |");
            }
            sb.append('\n');
        }
    }

    /** {@code 123.4 ± 5.6}, with digits suited to the magnitude. */
    static String valueWithError(WorkloadTable.Cell c) {
        String v = number(c.value());
        return Double.isNaN(c.error()) ? v : v + " ± " + number(c.error());
    }

    static String number(double x) {
        double a = Math.abs(x);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", x);
        }
        return String.format(Locale.ROOT, "%.3g", x);
    }
}
