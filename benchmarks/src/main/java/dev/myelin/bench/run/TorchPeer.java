package dev.myelin.bench.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Times the same workloads in PyTorch on this machine's CPU, for the report's comparison columns.
 *
 * <p>The timing script ({@code torch_peer.py}, shipped as a resource) runs once per thread count in
 * a fresh interpreter whose BLAS and OpenMP pools are pinned by environment variables (PyTorch's
 * {@code set_num_threads} does not resize an OpenBLAS pool that is already loaded). It writes
 * records in JMH's JSON layout with {@code backend = pytorch}; this class adds JMH's 99.9 %
 * confidence half-width as {@code scoreError}, computed the way JMH computes it.
 */
public final class TorchPeer {

    /** The Debian interpreter that has python3-torch and python3-numpy. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = "torch_peer.py";

    /** Whether the comparison can run, and if not, why. */
    public record Check(boolean usable, String reason) {
    }

    private final PrintWriter log;

    public TorchPeer(PrintWriter log) {
        this.log = log;
    }

    /** Looks for {@link #PYTHON} with torch and numpy importable. */
    public static Check check() {
        if (!Files.isExecutable(PYTHON)) {
            return new Check(false, PYTHON + " not found (install python3-torch and python3-numpy)");
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Check(false, "importing torch in " + PYTHON + " took over 120 s");
            }
            if (p.exitValue() != 0) {
                String last = out.isEmpty() ? "exit " + p.exitValue() : out.substring(out.lastIndexOf('\n') + 1);
                return new Check(false, PYTHON + " cannot import torch and numpy: " + last);
            }
            return new Check(true, "");
        } catch (IOException e) {
            return new Check(false, "cannot start " + PYTHON + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(false, "interrupted while checking " + PYTHON);
        }
    }

    /** Times {@code workloads} at each of {@code threads} and writes the records to {@code out}. */
    public void run(List<PeerWorkload> workloads, List<Integer> threads, boolean quick, Path out) {
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        try {
            Path dir = Files.createTempDirectory("myelin-torch");
            Path script = dir.resolve(SCRIPT);
            try (InputStream in = TorchPeer.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IllegalStateException(SCRIPT + " is missing from the class path");
                }
                Files.copy(in, script);
            }
            Path plan = dir.resolve("plan.json");
            Files.writeString(plan, gson.toJson(workloads));
            JsonArray all = new JsonArray();
            for (int t : threads) {
                Path part = dir.resolve("torch-" + t + ".json");
                if (runScript(script, plan, t, quick, part)) {
                    for (JsonElement e : JsonParser.parseString(Files.readString(part)).getAsJsonArray()) {
                        addError(e.getAsJsonObject());
                        all.add(e);
                    }
                }
            }
            Files.writeString(out, gson.toJson(all));
            log.println("PyTorch results: " + out + " (" + all.size() + " records)");
        } catch (IOException e) {
            throw new UncheckedIOException("PyTorch comparison: " + e.getMessage(), e);
        }
    }

    private boolean runScript(Path script, Path plan, int threads, boolean quick, Path part) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), script.toString(), "--plan", plan.toString(),
                "--threads", Integer.toString(threads), "--out", part.toString());
        if (quick) {
            pb.command().add("--quick");
        }
        Map<String, String> env = pb.environment();
        for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(v, Integer.toString(threads));
        }
        pb.inheritIO();
        log.println("== PyTorch, " + threads + " thread(s)");
        log.flush();
        try {
            int rc = pb.start().waitFor();
            if (rc != 0) {
                log.println("PyTorch timing script failed with exit " + rc + " at " + threads + " thread(s)");
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing PyTorch", e);
        }
    }

    /** JMH's error for a score: the half-width of the 99.9 % confidence interval of the mean. */
    static void addError(JsonObject record) {
        JsonObject metric = record.getAsJsonObject("primaryMetric");
        JsonArray raw = metric.getAsJsonArray("rawData").get(0).getAsJsonArray();
        double[] samples = new double[raw.size()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = raw.get(i).getAsDouble();
        }
        ListStatistics stats = new ListStatistics(samples);
        metric.addProperty("score", stats.getMean());
        double error = samples.length > 1 ? stats.getMeanErrorAt(0.999) : Double.NaN;
        if (Double.isNaN(error)) {
            metric.addProperty("scoreError", "NaN");
        } else {
            metric.addProperty("scoreError", error);
        }
    }
}
