package dev.myelin.nn;

import dev.myelin.contract.ReferenceMath;
import dev.myelin.data.FloatMatrix;
import java.util.List;
import java.util.Map;

/**
 * A float64 re-implementation of a stack of dense layers and a Keras loss, written from the Keras
 * formulas, so the model's gradients can be checked against central finite differences of it.
 */
final class DoubleNet {

    /** One dense layer: kernel [in x out] row-major, bias [out], activation name. */
    record Layer(int in, int out, String activation) {
    }

    private final List<Layer> layers;
    private final Loss loss;

    DoubleNet(List<Layer> layers, Loss loss) {
        this.layers = layers;
        this.loss = loss;
    }

    /** The Keras loss of the batch for weights {@code w} (per layer: kernel then bias, flattened). */
    double loss(double[][] w, FloatMatrix x, FloatMatrix y) {
        int n = x.rows();
        double[] a = ReferenceMath.toDouble(x.data());
        int width = x.cols();
        double[] logits = null;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            double[] kernel = w[2 * l];
            double[] bias = w[2 * l + 1];
            double[] z = new double[n * layer.out];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < layer.out; j++) {
                    double s = bias[j];
                    for (int k = 0; k < width; k++) {
                        s += a[i * width + k] * kernel[k * layer.out + j];
                    }
                    z[i * layer.out + j] = s;
                }
            }
            logits = z;
            a = activate(layer.activation, z, n, layer.out);
            width = layer.out;
        }
        return keras(a, logits, y, n, width);
    }

    private static double[] activate(String name, double[] z, int rows, int cols) {
        if (name.equals("softmax")) {
            return ReferenceMath.softmax(z, rows, cols);
        }
        if (name.equals("log_softmax")) {
            return ReferenceMath.logSoftmax(z, rows, cols);
        }
        dev.myelin.spi.Activation f = dev.myelin.spi.Activation.fromName(name);
        return ReferenceMath.activation(f, f.defaultAlpha(), z);
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, 1e-7), 1 - 1e-7);
    }

    /** Keras: mean over the last axis (sum for categorical cross-entropy), then mean over the batch. */
    private double keras(double[] p, double[] z, FloatMatrix y, int n, int k) {
        double[] t = targets(y, n, k);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            dev.myelin.spi.RowLoss rowKind = loss.fromLogits() ? null : LossComputation.rowKind(loss);
            if (rowKind != null) {
                // Keras's row losses (categorical cross-entropy on probabilities renormalises the row).
                double[] pr = java.util.Arrays.copyOfRange(p, i * k, i * k + k);
                double[] tr = java.util.Arrays.copyOfRange(t, i * k, i * k + k);
                for (double v : dev.myelin.contract.KerasReference.rowLoss(rowKind, 1, pr, tr, 1, k).loss()) {
                    row += v;
                }
            } else {
                for (int j = 0; j < k; j++) {
                    int e = i * k + j;
                    row += element(p[e], z, e, t[e], i, k);
                }
            }
            total += LossComputation.sumsOverLastAxis(loss) ? row : row / k;
        }
        return total / n;
    }

    private double element(double p, double[] z, int e, double t, int row, int k) {
        switch (loss.kind()) {
            case BINARY_CROSSENTROPY -> {
                if (loss.fromLogits()) {
                    return Math.max(z[e], 0) - z[e] * t + Math.log1p(Math.exp(-Math.abs(z[e])));
                }
                return -(t * Math.log(clip(p)) + (1 - t) * Math.log(1 - clip(p)));
            }
            case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> {
                if (loss.fromLogits()) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) {
                        max = Math.max(max, z[row * k + j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        sum += Math.exp(z[row * k + j] - max);
                    }
                    return -t * (z[e] - max - Math.log(sum));
                }
                return -t * Math.log(clip(p));
            }
            case MEAN_SQUARED_ERROR -> {
                return (p - t) * (p - t);
            }
            case MEAN_ABSOLUTE_ERROR -> {
                return Math.abs(p - t);
            }
            case MEAN_ABSOLUTE_PERCENTAGE_ERROR -> {
                return 100 * Math.abs(t - p) / Math.max(Math.abs(t), 1e-7);
            }
            case MEAN_SQUARED_LOGARITHMIC_ERROR -> {
                double d = Math.log(Math.max(p, 1e-7) + 1) - Math.log(Math.max(t, 1e-7) + 1);
                return d * d;
            }
            case HINGE -> {
                return Math.max(1 - t * p, 0);
            }
            case SQUARED_HINGE -> {
                double h = Math.max(1 - t * p, 0);
                return h * h;
            }
            case HUBER -> {
                double d = loss.delta();
                double err = Math.abs(p - t);
                return err <= d ? 0.5 * err * err : d * err - 0.5 * d * d;
            }
            case LOG_COSH, POISSON, KL_DIVERGENCE, BINARY_FOCAL_CROSSENTROPY -> {
                double q = loss.fromLogits() ? 1 / (1 + Math.exp(-z[e])) : p;
                return dev.myelin.contract.KerasReference.elementLoss(LossComputation.elementKind(loss), loss.gamma(), loss.alpha(), q, t);
            }
            default -> throw new AssertionError(loss);
        }
    }

    /** Targets as the model sees them: one-hot for sparse labels, -1/1 for 0/1 hinge labels. */
    private double[] targets(FloatMatrix y, int n, int k) {
        double[] t = new double[n * k];
        if (loss.isSparse()) {
            for (int i = 0; i < n; i++) {
                t[i * k + (int) y.data()[i]] = 1;
            }
            return t;
        }
        boolean binary = true;
        for (float v : y.data()) {
            binary &= v == 0f || v == 1f;
        }
        boolean hinge = loss.kind() == Loss.Kind.HINGE || loss.kind() == Loss.Kind.SQUARED_HINGE;
        for (int i = 0; i < t.length; i++) {
            t[i] = hinge && binary ? 2.0 * y.data()[i] - 1 : y.data()[i];
        }
        double s = loss.labelSmoothing();
        for (int i = 0; i < t.length && s > 0; i++) {
            t[i] = t[i] * (1 - s) + (loss.isCategorical() ? s / k : s / 2);
        }
        return t;
    }

    /** Flattened float64 copies of the model's weights in Keras order. */
    static double[][] weights(Map<String, FloatMatrix> named) {
        return named.values().stream().map(m -> ReferenceMath.toDouble(m.data())).toArray(double[][]::new);
    }

}
