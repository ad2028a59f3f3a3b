package dev.myelin.nn;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keras-style progress output of {@link Sequential#fit}. verbose=1 on a terminal redraws a bar with
 * steps, ETA, loss and metrics (the caller reads the running values only when {@link #wantsRefresh} says
 * so, a few times a second); verbose=1 elsewhere and verbose=2 print one line per epoch.
 */
final class ProgressLogger {

    private static final long REFRESH_NANOS = 250_000_000L;
    private static final int BAR = 20;

    private final PrintStream out;
    private final int verbose;
    private final boolean terminal;
    private final int epochs;
    private final int steps;
    private long epochStart;
    private long lastRefresh;

    ProgressLogger(PrintStream out, int verbose, int epochs, int steps) {
        this.out = out;
        this.verbose = verbose;
        this.epochs = epochs;
        this.steps = steps;
        java.io.Console console = System.console();
        this.terminal = verbose == 1 && out == System.out && console != null && console.isTerminal();
    }

    void epochBegin(int epoch) {
        if (verbose > 0) {
            out.println("Epoch " + (epoch + 1) + "/" + epochs);
        }
        epochStart = System.nanoTime();
        lastRefresh = epochStart;
    }

    /** True when the bar should be redrawn after step {@code step} (0-based). */
    boolean wantsRefresh(int step) {
        if (!terminal) {
            return false;
        }
        long now = System.nanoTime();
        if (now - lastRefresh >= REFRESH_NANOS && step + 1 < steps) {
            lastRefresh = now;
            return true;
        }
        return false;
    }

    void refresh(int step, Map<String, Double> logs) {
        double elapsed = (System.nanoTime() - epochStart) / 1e9;
        int done = step + 1;
        double eta = elapsed / done * (steps - done);
        out.print("\r" + counter(done) + " " + bar(done) + " " + seconds(eta) + " " + perStep(elapsed, done)
                + values(logs) + "   ");
        out.flush();
    }

    /** Prints the epoch's line; {@code done} is the steps it ran (fewer than expected when its data ran out). */
    void epochEnd(int done, Map<String, Double> logs) {
        if (verbose == 0) {
            return;
        }
        double elapsed = (System.nanoTime() - epochStart) / 1e9;
        if (terminal) {
            out.println("\r" + counter(done) + " " + bar(steps > 0 ? done : 1, steps > 0 ? steps : 1) + " "
                    + seconds(elapsed) + " " + perStep(elapsed, done) + values(logs) + "   ");
        } else {
            out.println(counter(done) + " - " + seconds(elapsed) + " - " + perStep(elapsed, done) + values(logs));
        }
        out.flush();
    }

    /** Keras's "done/total" counter; "done/Unknown" when the data's size is not known ahead. */
    private String counter(int done) {
        String total = steps > 0 ? Integer.toString(steps) : "Unknown";
        return String.format(Locale.ROOT, "%" + total.length() + "d/%s", done, total);
    }

    private static String bar(int doneOf, int steps) {
        int filled = (int) ((long) BAR * doneOf / Math.max(1, steps));
        return "━".repeat(filled) + (filled < BAR ? "\u001b[2m" + "━".repeat(BAR - filled) + "\u001b[0m" : "");
    }

    private String bar(int done) {
        return bar(done, steps);
    }

    private static String seconds(double s) {
        return s >= 1 ? Math.round(s) + "s" : Math.round(s * 1000) + "ms";
    }

    private static String perStep(double elapsed, int done) {
        double per = elapsed / Math.max(1, done);
        return per >= 1 ? String.format(Locale.ROOT, "%.0fs/step", per)
                : per >= 1e-3 ? String.format(Locale.ROOT, "%.0fms/step", per * 1e3)
                : String.format(Locale.ROOT, "%.0fus/step", per * 1e6);
    }

    /** Keras 3 lists the logs sorted by name: accuracy, loss, val_accuracy, val_loss. */
    private static String values(Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : new TreeMap<>(logs).entrySet()) {
            sb.append(" - ").append(e.getKey()).append(": ").append(String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
        return sb.toString();
    }
}
