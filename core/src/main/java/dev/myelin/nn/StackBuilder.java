package dev.myelin.nn;

import dev.myelin.spi.CounterRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a model's layer stack (Keras's {@code build}): names the layers as Keras does ({@code dense},
 * {@code dense_1}, ...), creates their weights from the model's seed and the model's per-batch buffers;
 * undoes that ({@code unbuild}); and binds the training state (the optimizer's slots, the metrics'
 * accumulators) to the trainable weights once the model is both built and compiled. The caller holds the
 * model's lock.
 */
final class StackBuilder {

    private StackBuilder() {
    }

    /** Builds the unbuilt model {@code m} for {@code features} inputs (its input size already set). */
    static void build(Model m, int features) {
        List<Layer> layers = m.layers;
        if (layers.isEmpty()) {
            throw new IllegalStateException("Sequential.build: the model has no layers; add at least one");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Layer l : layers) {
            int n = counts.merge(l.namePrefix(), 1, Integer::sum);
            l.assignName(n == 1 ? l.namePrefix() : l.namePrefix() + "_" + (n - 1));
        }
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            if (names.contains(l.name())) {
                throw new IllegalStateException("Sequential.build: two layers are named '" + l.name() + "'");
            }
            names.add(l.name());
        }
        int w = features;
        List<Parameter> all = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).owned = true;
            w = layers.get(i).build(m.backend, w, CounterRandom.streamSeed(m.seed, i));
            all.addAll(layers.get(i).weights());
        }
        m.outputs = w;
        m.params = all.toArray(new Parameter[0]);
        m.plans.bind(layers, m.inputSize, m.outputs);
        m.steps.allocate();
        m.built = true;
        if (m.optimizer != null) {
            bindTraining(m);
        }
    }

    /** Undoes {@link #build}: frees the weights and buffers, so a failed load leaves the model unbuilt. */
    static void unbuild(Model m) {
        if (!m.built) {
            return;
        }
        m.built = false;
        m.plans.close();
        m.plans = new PlanPool(m.backend);
        m.steps.release();
        for (Layer l : m.layers) {
            l.unbuild();
        }
        m.params = new Parameter[0];
        m.trainable = new Parameter[0];
        m.outputs = 0;
    }

    /** Creates the optimizer's state and the metrics' accumulators for the built, compiled model. */
    static void bindTraining(Model m) {
        List<Parameter> t = new ArrayList<>();
        for (Layer l : m.layers) {
            List<Parameter> w = l.trainableWeights();
            l.weightsTrained = !w.isEmpty();
            t.addAll(w);
        }
        m.trainable = t.toArray(new Parameter[0]);
        for (Parameter p : m.trainable) {
            p.initSlots(m.optimizer);
        }
        m.optimizer.reset();
        m.iterations = 0;
        for (Metric metric : m.metrics) {
            metric.bind(m.backend, m.outputs, m.loss);
        }
    }
}
