package dev.myelin.spark;

import dev.myelin.cpu.CpuBackend;
import dev.myelin.nn.Sequential;
import dev.myelin.spi.Backend;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model as plain values: its spec and its weights as safetensors bytes. This is what a task closure
 * carries to the executors, where {@link #materialize} rebuilds a private replica; a {@link Sequential}
 * itself never crosses the wire.
 *
 * @param spec        the architecture and compile settings
 * @param safetensors the weights, a safetensors file's bytes
 */
public record ModelBlob(ModelSpec spec, byte[] safetensors) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that both parts are present. */
    public ModelBlob {
        Objects.requireNonNull(spec, "ModelBlob: argument 'spec' is null");
        Objects.requireNonNull(safetensors, "ModelBlob: argument 'safetensors' is null");
    }

    /** The spec and current weights of {@code model}, which must have been built from {@code spec}. */
    public static ModelBlob of(ModelSpec spec, Sequential model) {
        Objects.requireNonNull(model, "ModelBlob.of: argument 'model' is null");
        return new ModelBlob(spec, WeightBytes.encode(model.namedWeights()));
    }

    /** A new model on {@code backend} with this blob's architecture and weights; the caller closes it. */
    public Sequential materialize(Backend backend) {
        Sequential m = spec.build(backend);
        try {
            m.setNamedWeights(WeightBytes.decode(safetensors));
            return m;
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
    }

    /**
     * Fails, naming {@code source}, unless the weights are a valid safetensors file holding exactly the
     * spec's tensors with their shapes (checked on a throw-away one-thread CPU model).
     */
    public void validate(String source) {
        try (Backend b = new CpuBackend(1); Sequential m = materialize(b)) {
            m.inputSize();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " does not fit the model spec " + spec + ": " + e.getMessage(), e);
        }
    }

    /** The same spec with other weights. */
    ModelBlob withWeights(byte[] weights) {
        return new ModelBlob(spec, weights);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelBlob b && spec.equals(b.spec) && Arrays.equals(safetensors, b.safetensors);
    }

    @Override
    public int hashCode() {
        return 31 * spec.hashCode() + Arrays.hashCode(safetensors);
    }

    @Override
    public String toString() {
        return "ModelBlob[" + spec + ", " + safetensors.length + " bytes of weights]";
    }
}
