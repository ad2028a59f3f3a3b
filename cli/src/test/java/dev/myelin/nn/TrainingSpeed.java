package dev.myelin.nn;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.data.IdxReader;
import dev.myelin.spi.Backend;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Times Keras-equivalent training on the real Fashion-MNIST, to set beside the PyTorch peer
 * ({@code train_mlp.py}): {@code seed} is 784-64-32-10, {@code wide} 784-512-256-10, relu/softmax, Adam,
 * batch 128. Prints seconds per epoch, samples/s and test accuracy per epoch.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... dev.myelin.nn.TrainingSpeed seed 10 [backend]
 * </pre>
 */
public final class TrainingSpeed {

    private TrainingSpeed() {
    }

    public static void main(String[] args) throws Exception {
        String net = args.length > 0 ? args[0] : "seed";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Backend backend = args.length > 2 ? Backends.get(args[2]) : Backends.get();
        Path dir = FashionMnistSubsetTest.DIR;
        FloatMatrix x = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz"));
        FloatMatrix y = IdxReader.readLabelsAsMatrix(dir.resolve("train-labels-idx1-ubyte.gz"));
        FloatMatrix testX = IdxReader.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
        FloatMatrix testY = IdxReader.readLabelsAsMatrix(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        int[] hidden = net.equals("wide") ? new int[] {512, 256} : new int[] {64, 32};
        System.out.println("backend: " + backend);
        try (Sequential model = Sequential.of(backend, new Dense(hidden[0], "relu"), new Dense(hidden[1], "relu"),
                new Dense(10, "softmax"))) {
            model.input(784).compile("adam", "sparse_categorical_crossentropy", "accuracy");
            double[] seconds = new double[epochs];
            Callback timer = new Callback() {
                private long start;

                @Override
                public void onEpochBegin(int epoch) {
                    start = System.nanoTime();
                }

                @Override
                public void onEpochEnd(int epoch, java.util.Map<String, Double> logs) {
                    double s = (System.nanoTime() - start) / 1e9;
                    seconds[epoch] = s;
                    // Outside the timed region: the next epoch's clock starts in onEpochBegin.
                    double acc = model.evaluate(testX, testY, 1000).get("accuracy");
                    System.out.printf(Locale.ROOT, "%s epoch %d: %.3f s, %.0f samples/s, %.0f us/step, loss %.4f,"
                            + " test accuracy %.4f%n", net, epoch + 1, s, x.rows() / s,
                            s / Math.ceil(x.rows() / 128.0) * 1e6, logs.get("loss"), acc);
                }
            };
            model.fit(x, y, new FitOptions().epochs(epochs).batchSize(128).verbose(0).callbacks(timer));
            double total = java.util.Arrays.stream(seconds).sum();
            double afterFirst = total - seconds[0];
            // The median of the epochs after the first (which includes JIT compilation), as the peers
            // report a median epoch.
            double[] later = java.util.Arrays.copyOfRange(seconds, Math.min(1, epochs - 1), epochs);
            java.util.Arrays.sort(later);
            double median = later.length % 2 == 1 ? later[later.length / 2]
                    : (later[later.length / 2 - 1] + later[later.length / 2]) / 2;
            System.out.printf(Locale.ROOT, "%s: mean %.3f s/epoch (%.0f samples/s); epochs 2-%d: %.0f samples/s;"
                    + " median of epochs 2-%d: %.3f s (%.0f samples/s)%n", net, total / epochs,
                    x.rows() * epochs / total, epochs, epochs > 1 ? x.rows() * (epochs - 1) / afterFirst : Double.NaN,
                    epochs, median, x.rows() / median);
        }
    }
}
