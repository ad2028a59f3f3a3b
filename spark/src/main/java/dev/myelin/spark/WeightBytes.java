package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import dev.myelin.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named weights as safetensors bytes: the one form in which weights cross the wire (task closures,
 * task results, broadcasts) and reach a saved model, so no Myelin object is ever Java- or Kryo-serialised.
 * It goes through a temporary file so that core's one safetensors reader and writer (with their checks)
 * stay the only implementation of the format.
 */
final class WeightBytes {

    private WeightBytes() {
    }

    /** The safetensors file of {@code weights}, as bytes. */
    static byte[] encode(Map<String, FloatMatrix> weights) {
        return encode(weights, Map.of());
    }

    /** The safetensors file of {@code tensors} with string {@code metadata}, as bytes. */
    static byte[] encode(Map<String, FloatMatrix> tensors, Map<String, String> metadata) {
        Path file = null;
        try {
            file = Files.createTempFile("myelin-weights", ".safetensors");
            SafeTensors.write(file, tensors, metadata);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the weights as safetensors: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    /** The named weights of a safetensors file given as bytes; the format is validated before use. */
    static LinkedHashMap<String, FloatMatrix> decode(byte[] safetensors) {
        return decodeWithMetadata(safetensors).tensors();
    }

    /** The tensors and string metadata of a safetensors file given as bytes. */
    static SafeTensors.Contents decodeWithMetadata(byte[] safetensors) {
        Path file = null;
        try {
            file = Files.createTempFile("myelin-weights", ".safetensors");
            Files.write(file, safetensors);
            return SafeTensors.readWithMetadata(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not decode the safetensors weights (" + safetensors.length
                    + " bytes): " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temp file is harmless; the operation's own result or error matters more.
            }
        }
    }
}
