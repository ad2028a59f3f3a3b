package dev.myelin.bench;

import dev.myelin.data.FashionMnist;
import dev.myelin.data.FloatMatrix;
import dev.myelin.data.TrainTest;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.Sequential;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training a dense classifier on Fashion-MNIST-shaped data (784 inputs, 10 classes) with Keras's
 * set-up: ReLU hidden layers, softmax output, sparse categorical cross-entropy, Adam, batch 128.
 * {@code step} is one {@code fit} over a single batch: upload, forward, loss, backward, Adam update
 * and the one scalar (the loss) read back at the end of an epoch. {@code epoch} is one shuffled pass
 * over {@code samples} rows, from a fresh model (see {@link #freshModel()}). The report gives samples/s.
 * With {@code -prof gc} the bytes per operation include that model, built once an iteration (35-50 KB a
 * step of the wide net in 1 s iterations); a warm step alone is checked by the CPU backend's
 * {@code TrainingStepAllocationCpuTest} (under 1 KiB; 432 bytes when measured).
 *
 * <p>The rows are the real Fashion-MNIST training images when the data set is installed, else
 * uniform random pixels with random labels: the time of a step does not depend on the values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseTransparentHugePages"})
public class TrainingBenchmark extends BackendBenchmark {

    /** Layer widths, input first: the small net of the Keras tutorial and a wide one. */
    @Param({"784-64-32-10", "784-512-256-10"})
    public String net;

    @Param({"128"})
    public int batch;

    /** Rows in one epoch (Fashion-MNIST's training set). */
    @Param({"60000"})
    public int samples;

    private Sequential model;
    private FloatMatrix x;
    private FloatMatrix y;
    private FloatMatrix stepX;
    private FloatMatrix stepY;
    private FitOptions epochOptions;

    @Override
    protected void prepare() {
        int[] widths = widths(net);
        loadData(widths[0], widths[widths.length - 1]);
        stepX = x.rowRange(0, batch);
        stepY = y.rowRange(0, batch);
        epochOptions = new FitOptions().batchSize(batch).epochs(1).shuffle(true).verbose(0);
    }

    /**
     * A fresh model (the same seeded initial weights) for every iteration, so that an iteration times
     * the first hundreds of steps of a training run, as the peers' scripts do (a fixed batch, 50 steps
     * of warm-up, 300 timed). Left to run on, thousands of steps of {@code step} on one batch memorise
     * it: the gradients shrink until their squares are subnormal, and an Adam update over subnormal
     * values took 16x as long as over normal ones (5.9 ms against 0.36 ms for 535,818 weights, one
     * thread), so the step of the 784-512-256-10 net grew from 4.4 ms to 8.5-9.5 ms over 6,000 steps:
     * it measured the CPU's denormal arithmetic, not the library.
     */
    @Setup(Level.Iteration)
    public void freshModel() {
        if (model != null) {
            model.close();
        }
        int[] widths = widths(net);
        model = new Sequential(b).input(widths[0]);
        for (int i = 1; i < widths.length; i++) {
            model.add(new Dense(widths[i], i == widths.length - 1 ? "softmax" : "relu"));
        }
        model.compile("adam", "sparse_categorical_crossentropy");
        b.synchronize();
    }

    @Override
    protected void release() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    /** One step (Keras's train_on_batch): upload, forward, loss, backward, update, one scalar read. */
    @Benchmark
    public double step() {
        return model.trainOnBatch(stepX, stepY);
    }

    /** An epoch takes seconds: fewer iterations keep a full run of both nets on every backend within minutes. */
    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public void epoch() {
        model.fit(x, y, epochOptions);
        b.synchronize();
    }

    private void loadData(int inputs, int classes) {
        if (inputs == 784 && classes == 10) {
            try {
                TrainTest data = FashionMnist.load();
                if (data.train().size() >= samples) {
                    x = data.train().features().rowRange(0, samples);
                    y = data.train().labels().rowRange(0, samples);
                    return;
                }
            } catch (IOException e) {
                System.out.println("Fashion-MNIST not installed (" + e.getMessage() + "): synthetic data");
            }
        }
        SplittableRandom rnd = new SplittableRandom(42);
        float[] pixels = new float[samples * inputs];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rnd.nextDouble();
        }
        float[] labels = new float[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = rnd.nextInt(classes);
        }
        x = new FloatMatrix(samples, inputs, pixels);
        y = new FloatMatrix(samples, 1, labels);
    }

    static int[] widths(String net) {
        String[] parts = net.split("-");
        if (parts.length < 2) {
            throw new IllegalArgumentException("net: expected layer widths such as 784-64-32-10, got '" + net + "'");
        }
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            w[i] = Integer.parseInt(parts[i].trim());
        }
        return w;
    }
}
