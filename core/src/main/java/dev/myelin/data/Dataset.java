package dev.myelin.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Examples for training or evaluation: a {@code [n x features]} matrix and the labels of its rows.
 *
 * <p>A classification set keeps its integer class of each row ({@link #classLabels()}) and the
 * class names; its {@link #labels()} are those classes as a {@code [n x 1]} matrix (sparse labels)
 * and {@link #oneHotLabels()} gives the {@code [n x classes]} one-hot targets. A regression set has
 * target rows ({@code [n x targets]}) and no classes. Instances are immutable as far as this class
 * goes: the matrices are shared, so do not write into them.
 */
public final class Dataset {

    private final FloatMatrix features;
    private final FloatMatrix labels;
    private final int[] classLabels;
    private final List<String> classNames;

    private Dataset(FloatMatrix features, FloatMatrix labels, int[] classLabels, List<String> classNames) {
        this.features = features;
        this.labels = labels;
        this.classLabels = classLabels;
        this.classNames = classNames;
    }

    /**
     * A classification set.
     *
     * @param classLabels the class of each row, in {@code 0..classNames.size()-1}
     * @param classNames  the name of each class
     * @param features {@code [n x features]}
     * @return the data set
     */
    public static Dataset ofClasses(FloatMatrix features, int[] classLabels, List<String> classNames) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(classLabels, "classLabels");
        Objects.requireNonNull(classNames, "classNames");
        if (classLabels.length != features.rows()) {
            throw new IllegalArgumentException("classLabels: expected one per feature row (" + features.rows()
                    + " for features [" + features.rows() + " x " + features.cols() + "]), got " + classLabels.length);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames: expected at least one class, got none");
        }
        float[] asFloats = new float[classLabels.length];
        for (int i = 0; i < classLabels.length; i++) {
            int c = classLabels[i];
            if (c < 0 || c >= classNames.size()) {
                throw new IllegalArgumentException("classLabels: expected classes 0.." + (classNames.size() - 1)
                        + ", got " + c + " at row " + i);
            }
            asFloats[i] = c;
        }
        return new Dataset(features, new FloatMatrix(classLabels.length, 1, asFloats), classLabels.clone(),
                List.copyOf(classNames));
    }

    /**
     * A classification set with {@code classCount} classes named "0", "1", ...
     *
     * @param features {@code [n x features]}
     * @param classLabels the class of each row, in {@code 0..classCount-1}
     * @param classCount the number of classes
     * @return the data set
     */
    public static Dataset ofClasses(FloatMatrix features, int[] classLabels, int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount: expected >= 1, got " + classCount);
        }
        List<String> names = new ArrayList<>(classCount);
        for (int i = 0; i < classCount; i++) {
            names.add(Integer.toString(i));
        }
        return ofClasses(features, classLabels, names);
    }

    /**
     * A regression set: row i of {@code targets} is the target of row i of {@code features}.
     *
     * @param features {@code [n x features]}
     * @param targets {@code [n x targets]}
     * @return the data set
     */
    public static Dataset ofTargets(FloatMatrix features, FloatMatrix targets) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(targets, "targets");
        if (targets.rows() != features.rows()) {
            throw new IllegalArgumentException("targets: expected " + features.rows() + " rows (as features ["
                    + features.rows() + " x " + features.cols() + "]), got [" + targets.rows() + " x " + targets.cols() + "]");
        }
        return new Dataset(features, targets, null, List.of());
    }

    /**
     * Number of examples (rows).
     *
     * @return the row count
     */
    public int size() {
        return features.rows();
    }

    /**
     * Number of features (columns of {@link #features()}).
     *
     * @return the feature count
     */
    public int featureCount() {
        return features.cols();
    }

    /**
     * {@code [n x features]}.
     *
     * @return the feature matrix
     */
    public FloatMatrix features() {
        return features;
    }

    /**
     * {@code [n x 1]} class indices for a classification set, {@code [n x targets]} for a regression set.
     *
     * @return the label matrix
     */
    public FloatMatrix labels() {
        return labels;
    }

    /**
     * Whether the rows carry integer classes.
     *
     * @return true for a classification set
     */
    public boolean hasClasses() {
        return classLabels != null;
    }

    /**
     * The class of each row (a copy).
     *
     * @return one class index per row
     */
    public int[] classLabels() {
        requireClasses("classLabels");
        return classLabels.clone();
    }

    /**
     * The class names, index = class (empty for a regression set).
     *
     * @return an unmodifiable list
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Number of classes (0 for a regression set).
     *
     * @return the class count
     */
    public int classCount() {
        requireClasses("classCount");
        return classNames.size();
    }

    /**
     * {@code [n x classCount]}: the one-hot targets for categorical cross-entropy.
     *
     * @return a new matrix
     */
    public FloatMatrix oneHotLabels() {
        requireClasses("oneHotLabels");
        return new OneHotEncoder(classNames.size()).transform(classLabels);
    }

    /**
     * The same labels with other features, e.g. scaled ones; {@code features} must have as many rows.
     *
     * @param features the new features, one row per example
     * @return a new data set
     */
    public Dataset withFeatures(FloatMatrix features) {
        Objects.requireNonNull(features, "features");
        if (features.rows() != size()) {
            throw new IllegalArgumentException("features: expected " + size() + " rows, got [" + features.rows()
                    + " x " + features.cols() + "]");
        }
        return new Dataset(features, labels, classLabels, classNames);
    }

    /**
     * The examples {@code indices[0], indices[1], ...} in that order.
     *
     * @param indices row indices, each in {@code 0..size()-1}
     * @return a new data set
     */
    public Dataset subset(int[] indices) {
        Objects.requireNonNull(indices, "indices");
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size()) {
                throw new IllegalArgumentException("indices: expected 0.." + (size() - 1) + ", got " + indices[i]
                        + " at " + i);
            }
        }
        int[] classes = null;
        if (classLabels != null) {
            classes = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                classes[i] = classLabels[indices[i]];
            }
        }
        return new Dataset(features.rows(indices), labels.rows(indices), classes, classNames);
    }

    /**
     * The examples in an order determined by {@code seed} (the same on every run and JDK).
     *
     * @param seed the shuffle's seed
     * @return a new data set
     */
    public Dataset shuffled(long seed) {
        return subset(Shuffling.permutation(size(), seed));
    }

    /**
     * Shuffles with {@code seed} and cuts into train, validation and test parts of
     * {@code round(n * validationFraction)} and {@code round(n * testFraction)} examples; train keeps the rest.
     *
     * @param validationFraction the share of examples for validation, in [0, 1)
     * @param testFraction the share of examples for testing, in [0, 1)
     * @param seed the shuffle's seed
     * @return the three parts
     */
    public DataSplit split(double validationFraction, double testFraction, long seed) {
        int[] counts = partCounts(size(), validationFraction, testFraction);
        int[] order = Shuffling.permutation(size(), seed);
        return cut(order, counts);
    }

    /**
     * Like {@link #split} but each class is cut in the given fractions on its own, so every part
     * has the class proportions of the whole (up to rounding).
     *
     * @param validationFraction the share of each class for validation, in [0, 1)
     * @param testFraction the share of each class for testing, in [0, 1)
     * @param seed the shuffle's seed
     * @return the three parts
     */
    public DataSplit stratifiedSplit(double validationFraction, double testFraction, long seed) {
        requireClasses("stratifiedSplit");
        partCounts(size(), validationFraction, testFraction);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < classLabels.length; i++) {
            byClass.get(classLabels[i]).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> members = byClass.get(c);
            int[] order = Shuffling.permutation(members.size(), seed + c);
            int nVal = (int) Math.round(members.size() * validationFraction);
            int nTest = (int) Math.round(members.size() * testFraction);
            int nTrain = members.size() - nVal - nTest;
            for (int k = 0; k < order.length; k++) {
                int row = members.get(order[k]);
                (k < nTrain ? train : k < nTrain + nVal ? validation : test).add(row);
            }
        }
        return new DataSplit(mixed(train, seed), mixed(validation, seed), mixed(test, seed));
    }

    /** The rows in {@code rows}, shuffled so classes interleave. */
    private Dataset mixed(List<Integer> rows, long seed) {
        int[] order = Shuffling.permutation(rows.size(), ~seed);
        int[] indices = new int[rows.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = rows.get(order[i]);
        }
        return subset(indices);
    }

    private DataSplit cut(int[] order, int[] counts) {
        int nTrain = counts[0];
        int nVal = counts[1];
        return new DataSplit(
                subset(Arrays.copyOfRange(order, 0, nTrain)),
                subset(Arrays.copyOfRange(order, nTrain, nTrain + nVal)),
                subset(Arrays.copyOfRange(order, nTrain + nVal, order.length)));
    }

    /** {train, validation, test} sizes; checks the fractions. */
    private static int[] partCounts(int n, double validationFraction, double testFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction: expected in [0, 1), got " + validationFraction);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction: expected in [0, 1), got " + testFraction);
        }
        if (validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("validationFraction + testFraction: expected < 1 so training keeps"
                    + " examples, got " + validationFraction + " + " + testFraction);
        }
        int nVal = (int) Math.round(n * validationFraction);
        int nTest = (int) Math.round(n * testFraction);
        return new int[] {n - nVal - nTest, nVal, nTest};
    }

    private void requireClasses(String method) {
        if (classLabels == null) {
            throw new IllegalStateException("Dataset." + method + ": this is a regression set (labels ["
                    + labels.rows() + " x " + labels.cols() + "]) without classes");
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " examples x " + featureCount() + " features, "
                + (hasClasses() ? classNames.size() + " classes" : labels.cols() + " targets") + "]";
    }
}
