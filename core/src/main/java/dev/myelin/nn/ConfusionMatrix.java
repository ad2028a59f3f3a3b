package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The confusion matrix of a classifier (rows: true class, columns: predicted class, weighted counts),
 * as {@code keras.utils} / TensorFlow's {@code confusion_matrix} lays it out. The predicted class is the
 * argmax of a row, or for a single output {@code p > 0.5}; the true class is the argmax of a one-hot row,
 * a class index in a {@code [batch x 1]} {@code y_true}, or for a single output {@code y > 0.5}.
 *
 * <p>As a metric in {@code compile} it adds no history entry: evaluate (or fit) fills it and
 * {@link #counts()} reads it; {@link #result()} is the accuracy the matrix implies (its trace over its
 * sum). {@link #of} computes one directly from labels and predictions.
 */
public final class ConfusionMatrix extends Metric {

    private final int classes;
    private final double[][] counts;

    /**
     * A matrix for {@code numClasses} classes (2 for a single sigmoid output).
     *
     * @param numClasses the number of classes, &gt;= 2; the matrix is {@code numClasses x numClasses}
     * @throws IllegalArgumentException if {@code numClasses < 2}
     */
    public ConfusionMatrix(int numClasses) {
        super("confusion_matrix");
        if (numClasses < 2) {
            throw new IllegalArgumentException("ConfusionMatrix: argument 'num_classes' must be >= 2, got "
                    + numClasses);
        }
        this.classes = numClasses;
        this.counts = new double[numClasses][numClasses];
    }

    /**
     * The matrix of {@code yTrue} against {@code yPred} over {@code numClasses} classes.
     *
     * @param yTrue the labels, {@code [batch x numClasses]} one-hot, {@code [batch x 1]} class indices, or for
     *     a single output {@code [batch x 1]} with {@code y > 0.5} as class 1
     * @param yPred the predictions, {@code [batch x numClasses]} (argmax per row) or {@code [batch x 1]}
     *     ({@code p > 0.5} as class 1)
     * @param numClasses the number of classes, &gt;= 2
     * @return a new matrix holding the unweighted counts of the batch
     * @throws IllegalArgumentException if {@code numClasses < 2}, the shapes do not match, or a class falls
     *     outside {@code [0, numClasses)}
     */
    public static ConfusionMatrix of(FloatMatrix yTrue, FloatMatrix yPred, int numClasses) {
        ConfusionMatrix m = new ConfusionMatrix(numClasses);
        m.updateState(yTrue, yPred);
        return m;
    }

    /**
     * The number of classes.
     *
     * @return the number of classes, the matrix's row and column count
     */
    public int numClasses() {
        return classes;
    }

    /**
     * A copy of the counts: {@code counts()[true][predicted]}.
     *
     * @return a new {@code numClasses x numClasses} array of the weighted counts so far
     */
    public double[][] counts() {
        double[][] c = new double[classes][];
        for (int i = 0; i < classes; i++) {
            c[i] = counts[i].clone();
        }
        return c;
    }

    @Override
    public void updateState(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
        boolean sparse = yTrue != null && yPred != null && yTrue.cols() == 1 && yPred.cols() > 1;
        if (!sparse) {
            checkBatch(yTrue, yPred, sampleWeight);
        } else if (yTrue.rows() != yPred.rows() || (sampleWeight != null && sampleWeight.length != yPred.rows())) {
            checkBatch(yTrue, new FloatMatrix(yPred.rows(), 1, new float[yPred.rows()]), sampleWeight);
        }
        int cols = yPred.cols();
        for (int r = 0; r < yPred.rows(); r++) {
            int actual = sparse ? (int) yTrue.data()[r] : classOf(yTrue.data(), r * cols, cols);
            int predicted = classOf(yPred.data(), r * cols, cols);
            if (actual < 0 || actual >= classes || predicted >= classes) {
                throw new IllegalArgumentException("ConfusionMatrix: row " + r + " has class " + actual
                        + " (true) / " + predicted + " (predicted), outside [0, " + classes + ")");
            }
            counts[actual][predicted] += sampleWeight == null ? 1.0 : sampleWeight[r];
        }
    }

    private static int classOf(float[] a, int offset, int cols) {
        return cols == 1 ? (a[offset] > 0.5f ? 1 : 0) : TopKCategoricalAccuracy.argmax(a, offset, cols);
    }

    /** The accuracy of the counted predictions (0 before any). */
    @Override
    public double result() {
        double trace = 0;
        double sum = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                sum += counts[i][j];
            }
            trace += counts[i][i];
        }
        return sum == 0 ? 0.0 : trace / sum;
    }

    @Override
    public void resetState() {
        for (double[] row : counts) {
            Arrays.fill(row, 0);
        }
    }

    /** No history entry: a matrix is not one number. */
    @Override
    void addLogs(Map<String, Double> logs) {
    }

    /** The matrix as a table, true classes down, predicted across. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("true \\ predicted");
        for (int j = 0; j < classes; j++) {
            sb.append(String.format(Locale.ROOT, "%8d", j));
        }
        for (int i = 0; i < classes; i++) {
            sb.append(String.format(Locale.ROOT, "%n%16d", i));
            for (int j = 0; j < classes; j++) {
                double v = counts[i][j];
                sb.append(v == Math.rint(v) ? String.format(Locale.ROOT, "%8d", (long) v)
                        : String.format(Locale.ROOT, "%8.2f", v));
            }
        }
        return sb.toString();
    }
}
