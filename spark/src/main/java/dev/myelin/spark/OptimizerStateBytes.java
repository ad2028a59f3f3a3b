package dev.myelin.spark;

import dev.myelin.io.SafeTensors;
import dev.myelin.nn.OptimizerState;
import java.util.Map;

/**
 * An {@link OptimizerState} as safetensors bytes: the slots as tensors, the optimizer's name, iteration
 * count and learning rate as metadata. The form in which optimizer state reaches executors and checkpoints.
 */
final class OptimizerStateBytes {

    private OptimizerStateBytes() {
    }

    /** The state as bytes. */
    static byte[] encode(OptimizerState state) {
        return WeightBytes.encode(state.slots(), Map.of("optimizer", state.optimizer(),
                "iterations", Long.toString(state.iterations()),
                "learning_rate", Float.toString(state.learningRate())));
    }

    /** The state that {@link #encode} wrote. */
    static OptimizerState decode(byte[] bytes) {
        SafeTensors.Contents c = WeightBytes.decodeWithMetadata(bytes);
        return new OptimizerState(c.metadata().get("optimizer"), Long.parseLong(c.metadata().get("iterations")),
                Float.parseFloat(c.metadata().get("learning_rate")), c.tensors());
    }
}
