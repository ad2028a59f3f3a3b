package dev.myelin.cpu;

import dev.myelin.data.FashionMnist;
import dev.myelin.data.FloatMatrix;
import dev.myelin.data.IdxReader;
import dev.myelin.nn.Adam;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.History;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child JVM of {@link StreamingHeapTest}, run with a small {@code -Xmx}: {@code stream DIR} trains on
 * Fashion-MNIST streamed from DIR and prints the test accuracy; {@code load DIR} loads the training images
 * as one matrix, which must not fit.
 */
public final class StreamingHeapMain {

    private StreamingHeapMain() {
    }

    /**
     * Runs one mode and prints {@code key=value} lines.
     *
     * @param args {@code stream} or {@code load}, then the data folder
     * @throws Exception on any failure (the exit code is then non-zero)
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        System.out.println("max_heap=" + Runtime.getRuntime().maxMemory());
        if (args[0].equals("load")) {
            try {
                FloatMatrix x = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz"));
                System.out.println("loaded=" + x.rows());
            } catch (OutOfMemoryError e) {
                System.out.println("out_of_memory=" + e.getMessage());
            }
            return;
        }
        long start = System.nanoTime();
        try (CpuBackend backend = new CpuBackend();
                Sequential model = Sequential.of(backend, new Dense(64, "relu"), new Dense(10, "softmax"))) {
            model.seed(42).compile(new Adam(1e-3f), Loss.of("sparse_categorical_crossentropy"), "accuracy");
            History h = model.fit(FashionMnist.trainingSource(dir).shuffleBuffer(2048),
                    new FitOptions().epochs(1).batchSize(64).verbose(0));
            Map<String, Double> test = model.evaluate(FashionMnist.testSource(dir), 256);
            System.out.println("train_loss=" + h.last("loss"));
            System.out.println("train_accuracy=" + h.last("accuracy"));
            System.out.println("test_accuracy=" + test.get("accuracy"));
            System.out.println("iterations=" + model.iterations());
        }
        System.out.println("seconds=" + (System.nanoTime() - start) / 1e9);
    }
}
