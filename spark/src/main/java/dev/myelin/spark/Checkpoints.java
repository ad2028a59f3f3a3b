package dev.myelin.spark;

import dev.myelin.nn.Sequential;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Training checkpoints on any Hadoop file system: {@code DIR/step-NNNNNNNN/} holds
 * {@code weights.safetensors} (with the epoch, the step in it and the optimizer's iteration count as
 * metadata) and {@code optimizer.safetensors} (the optimizer's state). Each file is written under a
 * temporary name and renamed, so a crash leaves whole files only.
 */
final class Checkpoints {

    static final String WEIGHTS = "weights.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";

    private Checkpoints() {
    }

    /** The folder of the checkpoint taken after {@code iterations} optimizer steps. */
    static String folder(String dir, long iterations) {
        return dir + String.format(Locale.ROOT, "/step-%08d", iterations);
    }

    /** Writes the model's weights and optimizer state after {@code step} of {@code epoch}. */
    static void write(Configuration conf, String dir, Sequential model, int epoch, int step) {
        String folder = folder(dir, model.iterations());
        Map<String, String> metadata = Map.of("epoch", Integer.toString(epoch), "step", Integer.toString(step),
                "iterations", Long.toString(model.iterations()));
        HadoopFiles.write(conf, folder + "/" + OPTIMIZER, OptimizerStateBytes.encode(model.optimizerState()));
        // The weights last: a folder with a weights file is complete.
        HadoopFiles.write(conf, folder + "/" + WEIGHTS, WeightBytes.encode(model.namedWeights(), metadata));
    }
}
