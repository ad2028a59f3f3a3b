package dev.myelin.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Maps string class labels to indices {@code 0..k-1} and back. {@link #fit} sorts the distinct
 * labels (numerically when every label is a number, so "10" comes after "9"; otherwise by their
 * text), as scikit-learn's LabelEncoder does; {@link #of} keeps a given order. Encoding before
 * fitting, or a label the encoder has not seen, is an error.
 */
public final class LabelEncoder {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private List<String> classes;
    private Map<String, Integer> index;

    /** An encoder to {@link #fit}. */
    public LabelEncoder() {
    }

    /**
     * An encoder already fitted to {@code classes}, in that order (class i is {@code classes.get(i)}).
     *
     * @param classes the class names, distinct
     * @return a fitted encoder
     */
    public static LabelEncoder of(List<String> classes) {
        Objects.requireNonNull(classes, "classes");
        LabelEncoder encoder = new LabelEncoder();
        encoder.set(new ArrayList<>(classes));
        return encoder;
    }

    /**
     * Learns the sorted distinct labels of {@code labels}; returns this encoder.
     *
     * @param labels the labels to learn from
     * @return this encoder
     */
    public LabelEncoder fit(Collection<String> labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels: expected at least one label to fit, got none");
        }
        for (String label : labels) {
            if (label == null) {
                throw new IllegalArgumentException("labels: must not contain null");
            }
        }
        boolean numeric = labels.stream().allMatch(l -> NUMBER.matcher(l).matches());
        Comparator<String> order = numeric
                ? Comparator.<String>comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        distinct.addAll(labels);
        set(new ArrayList<>(distinct));
        return this;
    }

    /**
     * {@link #fit} then {@link #transform}.
     *
     * @param labels the labels to learn from and encode
     * @return the class index of each label
     */
    public int[] fitTransform(List<String> labels) {
        return fit(labels).transform(labels);
    }

    /**
     * Whether {@link #fit} has been called (or the encoder was made fitted by {@link #of}).
     *
     * @return true when fitted
     */
    public boolean isFitted() {
        return classes != null;
    }

    /**
     * The class names; class {@code i} is {@code classes().get(i)}.
     *
     * @return an unmodifiable list
     */
    public List<String> classes() {
        requireFitted("classes");
        return classes;
    }

    /**
     * Number of classes.
     *
     * @return the class count
     */
    public int classCount() {
        requireFitted("classCount");
        return classes.size();
    }

    /**
     * The index of {@code label}; an unknown label is an {@link IllegalArgumentException} naming it.
     *
     * @param label a class name
     * @return its class index
     */
    public int encode(String label) {
        requireFitted("encode");
        Integer i = index.get(label);
        if (i == null) {
            throw new IllegalArgumentException("label: expected one of " + classes + ", got \"" + label + "\"");
        }
        return i;
    }

    /**
     * Whether {@code label} is one of the classes.
     *
     * @param label a class name
     * @return true when it is known
     */
    public boolean contains(String label) {
        requireFitted("contains");
        return index.containsKey(label);
    }

    /**
     * The class index of each label; an unknown label is an {@link IllegalArgumentException} naming it.
     *
     * @param labels class names
     * @return their class indices
     */
    public int[] transform(List<String> labels) {
        requireFitted("transform");
        Objects.requireNonNull(labels, "labels");
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(labels.get(i));
        }
        return out;
    }

    /**
     * The name of class {@code classIndex}.
     *
     * @param classIndex a class index, in {@code 0..classCount()-1}
     * @return the class name
     */
    public String decode(int classIndex) {
        requireFitted("decode");
        if (classIndex < 0 || classIndex >= classes.size()) {
            throw new IllegalArgumentException("classIndex: expected 0.." + (classes.size() - 1) + ", got " + classIndex);
        }
        return classes.get(classIndex);
    }

    /**
     * The class name of each index.
     *
     * @param classIndices class indices, each in {@code 0..classCount()-1}
     * @return their class names
     */
    public List<String> inverseTransform(int[] classIndices) {
        Objects.requireNonNull(classIndices, "classIndices");
        List<String> out = new ArrayList<>(classIndices.length);
        for (int c : classIndices) {
            out.add(decode(c));
        }
        return out;
    }

    private void set(List<String> distinct) {
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            String name = Objects.requireNonNull(distinct.get(i), "classes: must not contain null");
            if (map.put(name, i) != null) {
                throw new IllegalArgumentException("classes: \"" + name + "\" appears twice in " + distinct);
            }
        }
        classes = List.copyOf(distinct);
        index = map;
    }

    private void requireFitted(String method) {
        if (classes == null) {
            throw new IllegalStateException("LabelEncoder." + method + ": call fit(labels) first");
        }
    }
}
