package dev.myelin.nn;

import java.util.List;
import java.util.Locale;

/**
 * Keras's {@code model.summary()} table: each layer's name and type, output shape and number of weight
 * values, then the totals split into trainable and non-trainable.
 */
final class ModelSummary {

    private ModelSummary() {
    }

    static String of(Model model) {
        StringBuilder sb = new StringBuilder();
        String rule = "_".repeat(65) + "\n";
        String thick = "=".repeat(65) + "\n";
        sb.append("Model: \"sequential\"\n").append(rule);
        sb.append(String.format(Locale.ROOT, "%-29s%-22s%14s%n", " Layer (type)", "Output Shape", "Param #"));
        sb.append(thick);
        List<Layer> layers = model.layers;
        int w = model.inputSize;
        long total = 0;
        long trainable = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String shape = "?";
            String count = "?";
            if (l.isBuilt()) {
                w = l.outputSize(w);
                shape = "(None, " + w + ")";
                long n = l.countParams();
                total += n;
                for (Parameter p : l.weights()) {
                    trainable += l.trainable() && p.trainable() ? p.size() : 0;
                }
                count = String.format(Locale.ROOT, "%,d", n);
            } else if (w > 0) {
                w = l.outputSize(w);
                shape = "(None, " + w + ")";
                count = "0 (unbuilt)";
            }
            String name = (l.name() == null ? l.namePrefix() : l.name()) + " (" + l.type() + ")";
            sb.append(String.format(Locale.ROOT, " %-28s%-22s%14s%n", name, shape, count));
            sb.append(i == layers.size() - 1 ? thick : "\n");
        }
        sb.append(String.format(Locale.ROOT, " Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, " Trainable params: %,d%n", trainable));
        sb.append(String.format(Locale.ROOT, " Non-trainable params: %,d%n", total - trainable)).append(rule);
        return sb.toString();
    }
}
