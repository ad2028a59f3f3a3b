package dev.myelin.bench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads JMH's JSON result files (and the PyTorch records written in the same layout). */
public final class ResultReader {

    private ResultReader() {
    }

    /** Every record of {@code file}; fails naming the file and the record for malformed input. */
    public static List<Result> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array of JMH records, got "
                    + (root.isJsonObject() ? "an object" : root.toString()));
        }
        List<Result> out = new ArrayList<>();
        int i = 0;
        for (JsonElement e : root.getAsJsonArray()) {
            try {
                out.add(parse(e.getAsJsonObject()));
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(file + ": record " + i + ": " + ex.getMessage(), ex);
            }
            i++;
        }
        return out;
    }

    static Result parse(JsonObject o) {
        String benchmark = string(o, "benchmark");
        String mode = o.has("mode") ? string(o, "mode") : "avgt";
        Map<String, String> params = strings(o.getAsJsonObject("params"));
        JsonObject primary = o.getAsJsonObject("primaryMetric");
        if (primary == null) {
            throw new IllegalArgumentException("missing 'primaryMetric'");
        }
        double score = number(primary.get("score"), "primaryMetric.score");
        double error = primary.has("scoreError") ? number(primary.get("scoreError"), "primaryMetric.scoreError")
                : Double.NaN;
        String unit = string(primary, "scoreUnit");
        double alloc = Double.NaN;
        JsonObject secondary = o.getAsJsonObject("secondaryMetrics");
        if (secondary != null) {
            for (Map.Entry<String, JsonElement> m : secondary.entrySet()) {
                // JMH's GC profiler names it "gc.alloc.rate.norm" (older JMH prefixed a middle dot).
                if (m.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = number(m.getValue().getAsJsonObject().get("score"), m.getKey());
                }
            }
        }
        String jdk = o.has("vmName") ? string(o, "vmName") + " " + (o.has("vmVersion") ? string(o, "vmVersion") : "")
                : "";
        Map<String, String> peer = o.has("peer") ? strings(o.getAsJsonObject("peer")) : Map.of();
        return new Result(benchmark, mode, params, score, error, unit, alloc, jdk.trim(), peer);
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("missing '" + name + "'");
        }
        return e.getAsString();
    }

    /** JMH writes "NaN" as a string where an error cannot be computed. */
    private static double number(JsonElement e, String name) {
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("missing '" + name + "'");
        }
        String s = e.getAsString();
        return s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
    }

    private static Map<String, String> strings(JsonObject o) {
        Map<String, String> m = new LinkedHashMap<>();
        if (o != null) {
            for (Map.Entry<String, JsonElement> kv : o.entrySet()) {
                m.put(kv.getKey(), kv.getValue().getAsString());
            }
        }
        return m;
    }
}
