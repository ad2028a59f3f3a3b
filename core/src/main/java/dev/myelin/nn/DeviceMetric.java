package dev.myelin.nn;

import dev.myelin.Backends;
import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Scope;
import dev.myelin.spi.Tensor;
import java.util.Locale;

/**
 * The built-in metrics accumulated on the device during an epoch: each batch adds its counts or sums into
 * small accumulator tensors (a scalar or one value per output column) with a few kernels, and the host
 * reads the accumulators once, at the end of the epoch.
 *
 * <p>{@code accuracy} resolves against the loss as in Keras: binary accuracy (threshold 0.5) for binary
 * cross-entropy or a single output, categorical accuracy (argmax) otherwise. {@code precision} and
 * {@code recall} threshold every output at 0.5 (Keras's defaults). {@code f1_score} thresholds a single
 * output at 0.5 and otherwise takes the argmax of each row (Keras's {@code threshold=None}), and
 * reports the macro average over classes (Keras returns the per-class vector by default; a history
 * needs one number).
 */
final class DeviceMetric extends Metric {

    private final Kind kind;

    // Device state, bound by compile.
    private Backend backend;
    private Tensor[] acc = new Tensor[0];
    private Tensor scalar;
    private Tensor row;
    private Tensor half;
    private long samples;
    private int outputs;

    DeviceMetric(Kind kind, String name) {
        super(name);
        this.kind = kind;
    }

    DeviceMetric(Kind kind) {
        this(kind, defaultName(kind));
    }

    /** The device metric a Keras name or alias means, or null when the name is not one of them. */
    static DeviceMetric named(String n) {
        Kind k = switch (n) {
            case "accuracy", "acc" -> Kind.ACCURACY;
            case "binary_accuracy" -> Kind.BINARY_ACCURACY;
            case "categorical_accuracy" -> Kind.CATEGORICAL_ACCURACY;
            case "sparse_categorical_accuracy" -> Kind.SPARSE_CATEGORICAL_ACCURACY;
            case "precision" -> Kind.PRECISION;
            case "recall" -> Kind.RECALL;
            case "f1_score", "f1" -> Kind.F1_SCORE;
            case "mean_squared_error", "mse" -> Kind.MEAN_SQUARED_ERROR;
            case "root_mean_squared_error", "rmse" -> Kind.ROOT_MEAN_SQUARED_ERROR;
            case "mean_absolute_error", "mae" -> Kind.MEAN_ABSOLUTE_ERROR;
            case "mean_absolute_percentage_error", "mape" -> Kind.MEAN_ABSOLUTE_PERCENTAGE_ERROR;
            case "mean_squared_logarithmic_error", "msle" -> Kind.MEAN_SQUARED_LOGARITHMIC_ERROR;
            case "r2_score", "r2" -> Kind.R2_SCORE;
            default -> null;
        };
        if (k == null) {
            return null;
        }
        // Keras keeps the name the user wrote as the history key for "acc"/"accuracy" and the short aliases.
        String key = switch (n) {
            case "acc", "accuracy", "mse", "mae", "mape", "msle" -> n;
            default -> defaultName(k);
        };
        return new DeviceMetric(k, key);
    }

    private static String defaultName(Kind k) {
        return switch (k) {
            case ACCURACY -> "accuracy";
            case R2_SCORE -> "r2_score";
            default -> k.name().toLowerCase(Locale.ROOT);
        };
    }

    @Override
    public Kind kind() {
        return kind;
    }

    /** A fresh metric of the same kind and name (each compiled model holds its own accumulators). */
    @Override
    Metric copy() {
        return new DeviceMetric(kind, name());
    }

    /**
     * Binds to a backend and the model's output width; resolves {@code accuracy} against the loss
     * (without one, as for a single output or not).
     */
    @Override
    void bind(Backend b, int outputs, Loss loss) {
        release();
        this.backend = b;
        this.outputs = outputs;
        Kind k = resolved(loss);
        int accumulators = switch (k) {
            case PRECISION, RECALL -> 2;
            case F1_SCORE, R2_SCORE -> 3;
            default -> 1;
        };
        boolean perColumn = k == Kind.F1_SCORE || k == Kind.R2_SCORE;
        acc = new Tensor[accumulators];
        for (int i = 0; i < accumulators; i++) {
            acc[i] = b.tensor(1, perColumn ? outputs : 1);
        }
        scalar = b.tensor(1, 1);
        row = b.tensor(1, outputs);
        half = b.tensor(1, 1);
        b.fill(half, 0.5f);
        resolvedKind = k;
        reset();
    }

    private Kind resolvedKind;

    private Kind resolved(Loss loss) {
        return switch (kind) {
            case ACCURACY -> ((loss != null && loss.kind() == Loss.Kind.BINARY_CROSSENTROPY) || outputs == 1)
                    ? Kind.BINARY_ACCURACY : Kind.CATEGORICAL_ACCURACY;
            // Sparse labels are one-hot encoded on staging, so sparse accuracy is categorical on the device.
            case SPARSE_CATEGORICAL_ACCURACY -> Kind.CATEGORICAL_ACCURACY;
            default -> kind;
        };
    }

    @Override
    void reset() {
        for (Tensor t : acc) {
            backend.fill(t, 0f);
        }
        samples = 0;
    }

    /**
     * Adds one batch: {@code pred} and {@code target} are {@code [batch x outputs]}; {@code tmpA}, {@code tmpB}
     * are scratch of that shape and {@code colA}, {@code colB} scratch of {@code [batch x 1]}.
     */
    @Override
    void update(Tensor pred, Tensor target, Tensor tmpA, Tensor tmpB, Tensor colA, Tensor colB) {
        Backend b = backend;
        samples += pred.rows();
        switch (resolvedKind) {
            case CATEGORICAL_ACCURACY -> {
                b.argmax(pred, colA);
                b.argmax(target, colB);
                b.binary(BinaryOp.EQUAL, colA, colB, colA);
                sumInto(colA, acc[0]);
            }
            case BINARY_ACCURACY -> {
                b.binary(BinaryOp.GREATER, pred, half, tmpA);
                b.binary(BinaryOp.EQUAL, tmpA, target, tmpA);
                sumInto(tmpA, acc[0]);
            }
            case PRECISION, RECALL -> {
                b.binary(BinaryOp.GREATER, pred, half, tmpA);
                b.binary(BinaryOp.MUL, tmpA, target, tmpB);
                sumInto(tmpB, acc[0]);
                sumInto(resolvedKind == Kind.PRECISION ? tmpA : target, acc[1]);
            }
            case F1_SCORE -> {
                if (outputs == 1) {
                    b.binary(BinaryOp.GREATER, pred, half, tmpA);
                } else {
                    b.reduce(Reduction.MAX, Axis.PER_ROW, pred, colA);
                    b.binary(BinaryOp.EQUAL, pred, colA, tmpA);
                }
                b.binary(BinaryOp.MUL, tmpA, target, tmpB);
                columnSumInto(tmpB, acc[0]);
                columnSumInto(tmpA, acc[1]);
                columnSumInto(target, acc[2]);
            }
            case MEAN_SQUARED_ERROR, ROOT_MEAN_SQUARED_ERROR -> elementSum(ElementLoss.MSE, pred, target, tmpA, tmpB);
            case MEAN_ABSOLUTE_ERROR -> elementSum(ElementLoss.MAE, pred, target, tmpA, tmpB);
            case MEAN_ABSOLUTE_PERCENTAGE_ERROR -> elementSum(ElementLoss.MAPE, pred, target, tmpA, tmpB);
            case MEAN_SQUARED_LOGARITHMIC_ERROR -> elementSum(ElementLoss.MSLE, pred, target, tmpA, tmpB);
            case R2_SCORE -> {
                columnSumInto(target, acc[0]);
                b.binary(BinaryOp.MUL, target, target, tmpA);
                columnSumInto(tmpA, acc[1]);
                b.binary(BinaryOp.SUB, target, pred, tmpA);
                b.binary(BinaryOp.MUL, tmpA, tmpA, tmpA);
                columnSumInto(tmpA, acc[2]);
            }
            default -> throw new IllegalStateException("unresolved metric " + resolvedKind);
        }
    }

    private void elementSum(ElementLoss k, Tensor pred, Tensor target, Tensor tmpA, Tensor tmpB) {
        backend.elementLoss(k, 0f, 1f, pred, target, tmpA, tmpB);
        sumInto(tmpA, acc[0]);
    }

    private void sumInto(Tensor x, Tensor accumulator) {
        backend.reduce(Reduction.SUM, Axis.ALL, x, scalar);
        backend.binary(BinaryOp.ADD, accumulator, scalar, accumulator);
    }

    private void columnSumInto(Tensor x, Tensor accumulator) {
        backend.reduce(Reduction.SUM, Axis.PER_COLUMN, x, row);
        backend.binary(BinaryOp.ADD, accumulator, row, accumulator);
    }

    /** Reads the accumulators (a host read) and returns the metric over every batch since the last reset. */
    @Override
    public double result() {
        if (samples == 0) {
            return Double.NaN;
        }
        double n = samples;
        double elements = n * outputs;
        return switch (resolvedKind) {
            case CATEGORICAL_ACCURACY -> read(acc[0])[0] / n;
            case BINARY_ACCURACY, MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, MEAN_ABSOLUTE_PERCENTAGE_ERROR,
                    MEAN_SQUARED_LOGARITHMIC_ERROR -> read(acc[0])[0] / elements;
            case ROOT_MEAN_SQUARED_ERROR -> Math.sqrt(read(acc[0])[0] / elements);
            case PRECISION, RECALL -> {
                double tp = read(acc[0])[0];
                double denominator = read(acc[1])[0];
                yield denominator == 0 ? 0.0 : tp / denominator;
            }
            case F1_SCORE -> {
                float[] tp = read(acc[0]);
                float[] predicted = read(acc[1]);
                float[] actual = read(acc[2]);
                double sum = 0;
                for (int j = 0; j < outputs; j++) {
                    double p = tp[j] / (predicted[j] + 1e-7);
                    double r = tp[j] / (actual[j] + 1e-7);
                    sum += 2 * p * r / (p + r + 1e-7);
                }
                yield sum / outputs;
            }
            case R2_SCORE -> {
                float[] sum = read(acc[0]);
                float[] sumSq = read(acc[1]);
                float[] residual = read(acc[2]);
                double r2 = 0;
                for (int j = 0; j < outputs; j++) {
                    double total = sumSq[j] - (double) sum[j] * sum[j] / n;
                    r2 += total == 0 ? (residual[j] == 0 ? 1.0 : 0.0) : 1 - residual[j] / total;
                }
                yield r2 / outputs;
            }
            default -> throw new IllegalStateException("unresolved metric " + resolvedKind);
        };
    }

    private static float[] read(Tensor t) {
        return t.toArray();
    }

    @Override
    void release() {
        for (Tensor t : acc) {
            t.close();
        }
        acc = new Tensor[0];
        for (Tensor t : new Tensor[] {scalar, row, half}) {
            if (t != null) {
                t.close();
            }
        }
        scalar = row = half = null;
    }

    /**
     * Outside fit: uploads the batch to the backend {@link Backends#get()} picks (bound on first use to
     * {@code yPred}'s width) and accumulates it there. Sample weights are not supported by the device
     * metrics.
     */
    @Override
    public void updateState(FloatMatrix yTrue, FloatMatrix yPred, float[] sampleWeight) {
        checkBatch(yTrue, yPred, sampleWeight);
        if (sampleWeight != null) {
            throw new UnsupportedOperationException("metric '" + name() + "': sample weights are not supported by"
                    + " this device metric");
        }
        if (backend == null) {
            bind(Backends.get(), yPred.cols(), null);
        } else if (yPred.cols() != outputs) {
            throw new IllegalArgumentException("metric '" + name() + "': argument 'y_pred' must have " + outputs
                    + " columns (as the first batch), got " + yPred.cols());
        }
        Backend b = backend;
        int n = yPred.rows();
        try (Scope scope = b.scope()) {
            update(b.tensor(n, outputs, yPred.data()), b.tensor(n, outputs, yTrue.data()), b.tensor(n, outputs),
                    b.tensor(n, outputs), b.tensor(n, 1), b.tensor(n, 1));
        }
    }

    @Override
    public void resetState() {
        if (backend != null) {
            reset();
        }
    }
}
