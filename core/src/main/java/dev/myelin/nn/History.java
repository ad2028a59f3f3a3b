package dev.myelin.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Sequential#fit} returns: per-epoch values under Keras's keys ({@code loss}, {@code accuracy},
 * {@code val_loss}, ...), in the order they were first logged.
 */
public final class History {

    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private final List<Integer> epochs = new ArrayList<>();

    /** An empty history, which {@code fit} fills. */
    public History() {
    }

    void record(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /**
     * Keras's {@code history.history}: key to one value per completed epoch. Unmodifiable.
     *
     * @return an unmodifiable map
     */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> view = new LinkedHashMap<>();
        history.forEach((k, v) -> view.put(k, Collections.unmodifiableList(v)));
        return Collections.unmodifiableMap(view);
    }

    /**
     * The values of {@code key} per epoch; throws naming the keys present when it is absent.
     *
     * @param key a history key
     * @return an unmodifiable list
     */
    public List<Double> get(String key) {
        List<Double> v = history.get(key);
        if (v == null) {
            throw new IllegalArgumentException("history: argument 'key' must be one of " + history.keySet()
                    + ", got '" + key + "'");
        }
        return Collections.unmodifiableList(v);
    }

    /**
     * The last value of {@code key}.
     *
     * @param key a history key
     * @return the value of the last completed epoch
     */
    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    /**
     * The 0-based indices of the completed epochs (Keras's {@code history.epoch}).
     *
     * @return an unmodifiable list
     */
    public List<Integer> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    @Override
    public String toString() {
        return "History" + history;
    }
}
