package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import dev.myelin.io.SafeTensors;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.History;
import dev.myelin.nn.Sequential;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Parallel hyper-parameter search: one trial per Spark task, each a complete local {@code fit} on the
 * task's own backend, on data broadcast once to every executor. A trial gives the same weights as the
 * same fit run locally (same spec, seed and data), because it is that fit. Results (metrics and
 * weights) come back as safetensors bytes, so the search runs under Java serialisation or Kryo alike.
 *
 * <pre>{@code
 * List<TrialConfig> grid = List.of(0.1f, 0.01f, 0.001f).stream()
 *         .map(lr -> new TrialConfig(spec.learningRate(lr), 10, 64, true)).toList();
 * Trial best = new MyelinTuner(spark).search(grid, x, y, valX, valY).best("val_loss", false);
 * }</pre>
 */
public final class MyelinTuner {

    private static final String X = "x";
    private static final String Y = "y";
    private static final String VAL_X = "val_x";
    private static final String VAL_Y = "val_y";
    private static final String METRIC_PREFIX = "metric:";

    private final SparkSession spark;
    private String backend = "cpu";

    /** A tuner that runs its trials on {@code spark}. */
    public MyelinTuner(SparkSession spark) {
        this.spark = Objects.requireNonNull(spark, "MyelinTuner: argument 'spark' is null");
    }

    /** The backend every trial opens privately (default {@code cpu}). */
    public MyelinTuner backend(String name) {
        this.backend = Objects.requireNonNull(name, "MyelinTuner.backend: argument 'name' is null");
        return this;
    }

    /**
     * Runs every config as one task (all in one Spark job) and returns the trials in config order.
     * The validation data is evaluated after each trial's last epoch ({@code val_*} metrics).
     */
    public Result search(List<TrialConfig> configs, FloatMatrix x, FloatMatrix y, FloatMatrix valX, FloatMatrix valY) {
        Objects.requireNonNull(configs, "search: argument 'configs' is null");
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("search: argument 'configs' is empty; give at least one trial");
        }
        checkData("x", x, "y", y);
        checkData("valX", valX, "valY", valY);
        for (int i = 0; i < configs.size(); i++) {
            TrialConfig c = Objects.requireNonNull(configs.get(i), "search: argument 'configs' holds null");
            if (c.spec().inputs() != x.cols()) {
                throw new IllegalArgumentException("search: configs[" + i + "] expects " + c.spec().inputs()
                        + " input features, x has " + x.cols());
            }
        }
        Map<String, FloatMatrix> data = new LinkedHashMap<>();
        data.put(X, x);
        data.put(Y, y);
        data.put(VAL_X, valX);
        data.put(VAL_Y, valY);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> shared = jsc.broadcast(WeightBytes.encode(data));
        List<TrialConfig> all = List.copyOf(configs);
        String backendName = backend;
        try {
            List<byte[]> results = jsc.parallelize(IntStream.range(0, all.size()).boxed().toList(), all.size())
                    .map(i -> runTrial(all.get(i), shared.value(), backendName))
                    .collect();
            List<Trial> trials = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                SafeTensors.Contents c = WeightBytes.decodeWithMetadata(results.get(i));
                Map<String, Double> metrics = new LinkedHashMap<>();
                c.metadata().forEach((k, v) -> {
                    if (k.startsWith(METRIC_PREFIX)) {
                        metrics.put(k.substring(METRIC_PREFIX.length()), Double.parseDouble(v));
                    }
                });
                trials.add(new Trial(i, all.get(i), metrics, WeightBytes.encode(c.tensors())));
            }
            return new Result(trials);
        } finally {
            shared.destroy();
        }
    }

    /** One trial on the task's own replica: the fit, then the weights with the metrics as metadata. */
    static byte[] runTrial(TrialConfig config, byte[] data, String backendName) {
        Map<String, FloatMatrix> d = WeightBytes.decode(data);
        try (Replica replica = Replica.open(config.spec(), null, backendName)) {
            Sequential m = replica.model();
            History h = fit(m, config, d.get(X), d.get(Y), d.get(VAL_X), d.get(VAL_Y));
            Map<String, String> metadata = new LinkedHashMap<>();
            for (String key : h.history().keySet()) {
                metadata.put(METRIC_PREFIX + key, Double.toString(h.last(key)));
            }
            return WeightBytes.encode(m.namedWeights(), metadata);
        }
    }

    /** The fit a trial runs; tests call it to fit the same trial locally. */
    static History fit(Sequential m, TrialConfig config, FloatMatrix x, FloatMatrix y, FloatMatrix valX,
            FloatMatrix valY) {
        return m.fit(x, y, new FitOptions().epochs(config.epochs()).batchSize(config.batchSize())
                .shuffle(config.shuffle()).validationData(valX, valY).verbose(0)
                .out(new PrintStream(OutputStream.nullOutputStream())));
    }

    private static void checkData(String xName, FloatMatrix x, String yName, FloatMatrix y) {
        Objects.requireNonNull(x, "search: argument '" + xName + "' is null");
        Objects.requireNonNull(y, "search: argument '" + yName + "' is null");
        if (x.rows() != y.rows() || x.rows() == 0) {
            throw new IllegalArgumentException("search: arguments '" + xName + "' and '" + yName + "' must have the"
                    + " same number (>= 1) of rows, got [" + x.rows() + " x " + x.cols() + "] and [" + y.rows()
                    + " x " + y.cols() + "]");
        }
    }

    /**
     * The trials of one search, in config order.
     *
     * @param trials every trial
     */
    public record Result(List<Trial> trials) {

        /** Copies the list. */
        public Result {
            trials = List.copyOf(trials);
        }

        /**
         * The trial with the best value of {@code metric} (e.g. {@code val_loss}, lower is better, or
         * {@code val_accuracy} with {@code higherIsBetter}); a trial whose value is NaN or missing never wins,
         * ties go to the earlier trial.
         *
         * @throws IllegalArgumentException when no trial has a finite value of {@code metric}
         */
        public Trial best(String metric, boolean higherIsBetter) {
            Comparator<Trial> byMetric = Comparator.comparingDouble(t -> t.metric(metric));
            return trials.stream().filter(t -> !Double.isNaN(t.metric(metric)))
                    .min(higherIsBetter ? byMetric.reversed() : byMetric)
                    .orElseThrow(() -> new IllegalArgumentException("best: no trial recorded a value of '" + metric
                            + "'; recorded: " + trials.get(0).metrics().keySet()));
        }
    }
}
