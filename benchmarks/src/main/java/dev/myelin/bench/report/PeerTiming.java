package dev.myelin.bench.report;

import java.util.Collection;
import java.util.List;

/**
 * How a PyTorch comparison record was timed, as its {@code peer.timing} entry says, and the sentence
 * that tells the report's reader. The distinction matters on a shared machine: a mean keeps the
 * occasional slow call (stolen time, a page fault) that a median of the same calls leaves out, so the
 * same work reads slower as a mean.
 */
public enum PeerTiming {

    /** Every call timed on its own; an iteration's sample is the median of its calls' times. */
    PER_CALL_MEDIAN("per-call median", "PyTorch columns are medians, Myelin's are means: every PyTorch call is"
            + " timed on its own, each iteration contributes the median of its calls' times, and the figure is the"
            + " mean of those iteration medians (± computed over them as for JMH). JMH times whole iterations, so"
            + " Myelin's figures keep the occasional slow call that a median leaves out; on a busy machine the same"
            + " work reads faster as a median than as a mean."),

    /** Records written before the entry existed: an iteration's elapsed time over its call count. */
    ITERATION_MEAN("", "PyTorch columns are means over time-boxed iterations, like JMH's (recorded before PyTorch"
            + " calls were timed one by one).");

    /** The entry of a record's {@code peer} object that names its timing. */
    public static final String KEY = "timing";

    private final String marker;
    private final String legend;

    PeerTiming(String marker, String legend) {
        this.marker = marker;
        this.legend = legend;
    }

    /** The value of {@link #KEY} that names this timing; empty for records that carry none. */
    public String marker() {
        return marker;
    }

    /** The report's sentence about PyTorch columns timed this way. */
    public String legend() {
        return legend;
    }

    /** The timing of a PyTorch record; fails naming the value when it is one this class does not know. */
    public static PeerTiming of(Result r) {
        String value = r.peer().getOrDefault(KEY, "");
        for (PeerTiming t : values()) {
            if (t.marker.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException(r.benchmark() + " " + r.params() + ": peer." + KEY + ": expected one of "
                + List.of(values()).stream().map(t -> "'" + t.marker + "'").toList() + ", got '" + value + "'");
    }

    /** The timings of the PyTorch records among {@code results}, in this enum's order; empty without any. */
    public static List<PeerTiming> among(Collection<Result> results) {
        List<PeerTiming> found = results.stream().filter(r -> r.backend().equals("pytorch")).map(PeerTiming::of)
                .distinct().toList();
        return List.of(values()).stream().filter(found::contains).toList();
    }
}
