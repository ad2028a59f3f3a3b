package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.data.MalformedFileException;
import dev.myelin.io.AtomicFile;
import dev.myelin.io.Json;
import dev.myelin.io.SafeTensors;
import dev.myelin.spi.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Whole-model files: one zip holding {@code config.json} (the Keras-style architecture, the compile
 * settings and the training counters), {@code model.safetensors} (every weight, by its full name) and,
 * for a compiled model, {@code optimizer.safetensors} (every optimizer slot, {@code <weight>/<slot>}).
 * Written atomically; read back by {@link Sequential#load}, which resumes training where it stopped.
 */
final class ModelFile {

    static final String FORMAT = "myelin.model";
    /** The extension of whole-model files. */
    static final String EXTENSION = ".myelin";
    static final long VERSION = 1;
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";

    private ModelFile() {
    }

    /** The architecture as Keras's {@code to_json}: {@code {"class_name": "Sequential", "config": {...}}}. */
    static Map<String, Object> architecture(Sequential model) {
        List<Object> layers = new ArrayList<>();
        for (Layer l : model.layers) {
            layers.add(map("class_name", l.type(), "config", l.config()));
        }
        Map<String, Object> config = map("name", "sequential", "seed", model.seed,
                "input_size", model.inputSize > 0 ? (Object) (long) model.inputSize : null, "layers", layers);
        return map("class_name", "Sequential", "config", config);
    }

    /** A new, unbuilt model from {@link #architecture}; every layer config is checked before anything is made. */
    static Sequential fromArchitecture(Map<String, Object> json, Backend backend, Object source) {
        if (!"Sequential".equals(json.get("class_name"))) {
            throw new IllegalArgumentException(source + ": 'class_name' must be \"Sequential\", got "
                    + json.get("class_name"));
        }
        Map<String, Object> config = object(json.get("config"), source, "config");
        Object layerList = config.get("layers");
        if (!(layerList instanceof List<?> entries) || entries.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'config.layers' must be a non-empty list, got " + layerList);
        }
        List<Layer> layers = new ArrayList<>();
        for (Object e : entries) {
            Map<String, Object> entry = object(e, source, "config.layers[" + layers.size() + "]");
            Object type = entry.get("class_name");
            layers.add(Layers.fromConfig(type instanceof String s ? s : null,
                    object(entry.get("config"), source, "config.layers[" + layers.size() + "].config")));
        }
        Object seed = config.get("seed");
        Object inputs = config.get("input_size");
        Sequential model = new Sequential(backend);
        layers.forEach(model::add);
        if (seed != null) {
            model.seed(((Number) seed).longValue());
        }
        if (inputs != null) {
            model.input(LayerConfig.integer(config, "input_size", "Sequential"));
        }
        return model;
    }

    static void save(Sequential model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /** Writes the model with {@code extraState} added to its {@code training_state} (e.g. the epoch to resume at). */
    static void save(Sequential model, Path file, Map<String, Object> extraState) throws IOException {
        if (!model.built) {
            throw new IllegalStateException("save: the model is not built; it has no weights yet");
        }
        Map<String, Object> config = map("format", FORMAT, "format_version", VERSION);
        config.putAll(architecture(model));
        OptimizerState state = null;
        String unstorable = model.optimizer == null ? null : model.optimizer.notStorable();
        if (unstorable != null) {
            throw new IllegalStateException("save: the optimizer uses " + unstorable + ", which model files do not"
                    + " hold yet; a loaded model would not resume exactly (saveWeights writes the weights alone)");
        }
        if (model.optimizer != null) {
            List<Object> metrics = new ArrayList<>();
            for (Metric m : model.metrics) {
                metrics.add(m.name());
            }
            config.put("compile_config", map("optimizer", map("class_name", model.optimizer.name(),
                    "config", model.optimizer.config()), "loss", model.loss.config(), "metrics", metrics));
            state = model.optimizerState();
            Map<String, Object> training = map("iterations", state.iterations(), "epochs_trained",
                    model.epochsTrained);
            training.putAll(extraState);
            config.put("training_state", training);
        }
        Path dir = Files.createTempDirectory("myelin-model");
        try {
            Path weights = dir.resolve(WEIGHTS);
            SafeTensors.write(weights, model.namedWeights());
            Path slots = state == null ? null : dir.resolve(OPTIMIZER);
            if (slots != null) {
                SafeTensors.write(slots, state.slots());
            }
            byte[] json = Json.write(config).getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(file, channel -> {
                // Not closed: AtomicFile closes the channel after syncing it.
                ZipOutputStream zip = new ZipOutputStream(Channels.newOutputStream(channel));
                zip.putNextEntry(new ZipEntry(CONFIG));
                zip.write(json);
                zip.closeEntry();
                copyInto(zip, WEIGHTS, weights);
                if (slots != null) {
                    copyInto(zip, OPTIMIZER, slots);
                }
                zip.finish();
                zip.flush();
            });
        } finally {
            deleteAll(dir);
        }
    }

    static Sequential load(Path file, Backend backend) throws IOException {
        Path dir = Files.createTempDirectory("myelin-model");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, Object> config = object(Json.parse(new String(entry(zip, file, CONFIG).readAllBytes(),
                    StandardCharsets.UTF_8), file + "!" + CONFIG), file, CONFIG);
            if (!FORMAT.equals(config.get("format")) || !(config.get("format_version") instanceof Long v)
                    || v != VERSION) {
                throw MalformedFileException.atByte(file, 0, CONFIG + " must say \"format\": \"" + FORMAT
                        + "\", \"format_version\": " + VERSION + "; got " + config.get("format") + " "
                        + config.get("format_version"));
            }
            // Everything in config.json is checked here, before the model takes any device memory.
            Sequential model = fromArchitecture(config, backend, file);
            Map<String, Object> compile = config.get("compile_config") == null ? null
                    : object(config.get("compile_config"), file, "compile_config");
            Optimizer optimizer = null;
            Loss loss = null;
            List<Metric> metrics = new ArrayList<>();
            Map<String, Object> counters = null;
            if (compile != null) {
                Map<String, Object> opt = object(compile.get("optimizer"), file, "compile_config.optimizer");
                optimizer = Optimizer.fromConfig(LayerConfig.string(opt, "class_name", "optimizer"),
                        object(opt.get("config"), file, "compile_config.optimizer.config"));
                loss = Loss.fromConfig(object(compile.get("loss"), file, "compile_config.loss"));
                if (compile.get("metrics") instanceof List<?> names) {
                    for (Object n : names) {
                        metrics.add(Metric.of(String.valueOf(n)));
                    }
                }
                counters = object(config.get("training_state"), file, "training_state");
            }
            if (model.inputSize < 1) {
                throw new IllegalArgumentException(file + ": 'config.input_size' is missing; a saved model is built");
            }
            Path weights = extract(zip, file, WEIGHTS, dir);
            Path slots = compile == null ? null : extract(zip, file, OPTIMIZER, dir);
            try {
                if (optimizer != null) {
                    model.compile(optimizer, loss, metrics);
                }
                model.loadWeights(weights);
                if (slots != null) {
                    LinkedHashMap<String, FloatMatrix> s = SafeTensors.read(slots);
                    model.setOptimizerState(new OptimizerState(optimizer.name(),
                            counter(counters, "iterations", file), optimizer.learningRate(), s));
                    model.epochsTrained = counter(counters, "epochs_trained", file);
                }
                return model;
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
        } finally {
            deleteAll(dir);
        }
    }

    /**
     * Puts the weights, optimizer state and counters of {@code file} into {@code model}, which must have the
     * same architecture, loss, metrics and optimizer (its hyperparameters may differ only in the learning
     * rate, which is restored too); everything is checked before the model changes. Returns the file's
     * {@code training_state}.
     */
    static Map<String, Object> restoreInto(Sequential model, Path file) throws IOException {
        Path dir = Files.createTempDirectory("myelin-model");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, Object> config = object(Json.parse(new String(entry(zip, file, CONFIG).readAllBytes(),
                    StandardCharsets.UTF_8), file + "!" + CONFIG), file, CONFIG);
            Map<String, Object> expected = Json.parse(Json.write(architecture(model)), "the model") instanceof Map<?, ?> m
                    ? object(m, file, "architecture") : Map.of();
            if (!expected.get("config").equals(config.get("config"))) {
                throw new IllegalArgumentException(file + ": the saved architecture " + Json.write(config.get("config"))
                        + " is not the model's " + Json.write(expected.get("config")));
            }
            Map<String, Object> compile = object(config.get("compile_config"), file, "compile_config");
            Map<String, Object> opt = object(compile.get("optimizer"), file, "compile_config.optimizer");
            Optimizer saved = Optimizer.fromConfig(LayerConfig.string(opt, "class_name", "optimizer"),
                    object(opt.get("config"), file, "compile_config.optimizer.config"));
            Map<String, Object> mine = model.optimizer.config();
            Map<String, Object> theirs = saved.config();
            mine.remove("learning_rate");
            theirs.remove("learning_rate");
            if (!saved.name().equals(model.optimizer.name()) || !mine.equals(theirs)
                    || (saved.schedule() == null) != (model.optimizer.schedule() == null)) {
                throw new IllegalArgumentException(file + ": the saved optimizer " + saved + " is not the model's "
                        + model.optimizer);
            }
            Map<String, Object> counters = object(config.get("training_state"), file, "training_state");
            long iterations = counter(counters, "iterations", file);
            long epochsTrained = counter(counters, "epochs_trained", file);
            LinkedHashMap<String, FloatMatrix> weights = SafeTensors.read(extract(zip, file, WEIGHTS, dir));
            LinkedHashMap<String, FloatMatrix> slots = SafeTensors.read(extract(zip, file, OPTIMIZER, dir));
            OptimizerState state = new OptimizerState(saved.name(), iterations, saved.learningRate(), slots);
            // Both are checked in full (names, shapes) before they change anything.
            List<FloatMatrix> before = model.getWeights();
            model.setNamedWeights(weights);
            try {
                model.setOptimizerState(state);
            } catch (RuntimeException e) {
                model.setWeights(before);
                throw e;
            }
            model.epochsTrained = epochsTrained;
            return counters;
        } finally {
            deleteAll(dir);
        }
    }

    /** A training counter of the file: a whole number, 0 or more. */
    private static long counter(Map<String, Object> counters, String key, Path file) {
        if (counters.get(key) instanceof Long v && v >= 0) {
            return v;
        }
        throw new IllegalArgumentException(file + ": 'training_state." + key + "' must be a whole number >= 0, got "
                + counters.get(key));
    }

    private static InputStream entry(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw MalformedFileException.atByte(file, 0, "the model file has no '" + name + "' entry");
        }
        return zip.getInputStream(e);
    }

    private static Path extract(ZipFile zip, Path file, String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = entry(zip, file, name)) {
            Files.copy(in, out);
        }
        return out;
    }

    private static void copyInto(ZipOutputStream zip, String name, Path from) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(from, (OutputStream) zip);
        zip.closeEntry();
    }

    private static void deleteAll(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, Object source, String key) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(source + ": '" + key + "' must be a JSON object, got " + v);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
