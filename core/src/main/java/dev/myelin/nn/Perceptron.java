package dev.myelin.nn;

import dev.myelin.data.FloatMatrix;
import dev.myelin.spi.Activation;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Tensor;
import java.util.Objects;

/**
 * Rosenblatt's perceptron: {@code y = step(x . w + b)} trained one sample at a time with the classic rule
 * {@code w += lr (t - y) x}, {@code b += lr (t - y)}. It learns any linearly separable 0/1 target (AND, OR,
 * NAND) and never converges on one that is not (XOR). The weights stay on the backend; an epoch reads back
 * one number, its count of misclassified samples.
 */
public final class Perceptron implements AutoCloseable {

    private final Backend backend;
    private final int inputs;
    private final float learningRate;
    private final Tensor w;
    private final Tensor b;
    private final Tensor x;
    private final Tensor t;
    private final Tensor z;
    private final Tensor err;
    private final Tensor errors;
    private final float[] host = new float[1];
    private int epochsRun;
    private boolean converged;

    /**
     * Zero initial weights and learning rate 1, as in the classic rule.
     *
     * @param backend the backend to compute on
     * @param inputs the number of inputs, at least 1
     */
    public Perceptron(Backend backend, int inputs) {
        this(backend, inputs, 1f);
    }

    /**
     * A perceptron with zero initial weights and the given learning rate.
     *
     * @param backend the backend to compute on
     * @param inputs the number of inputs, at least 1
     * @param learningRate the learning rate, positive
     */
    public Perceptron(Backend backend, int inputs, float learningRate) {
        this.backend = Objects.requireNonNull(backend, "Perceptron: argument 'backend' is null");
        if (inputs < 1) {
            throw new IllegalArgumentException("Perceptron: argument 'inputs' must be >= 1, got " + inputs);
        }
        if (!(learningRate > 0f) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("Perceptron: argument 'learning_rate' must be finite and > 0, got "
                    + learningRate);
        }
        this.inputs = inputs;
        this.learningRate = learningRate;
        w = backend.tensor(inputs, 1);
        b = backend.tensor(1, 1);
        x = backend.tensor(1, inputs);
        t = backend.tensor(1, 1);
        z = backend.tensor(1, 1);
        err = backend.tensor(1, 1);
        errors = backend.tensor(1, 1);
        backend.fill(w, 0f);
        backend.fill(b, 0f);
    }

    /**
     * Runs the rule over the samples in order, epoch after epoch, until an epoch makes no mistake or
     * {@code maxEpochs} have run. Returns true when it converged. {@code y} holds 0/1 targets {@code [n x 1]}.
     *
     * @param xs the samples, {@code [n x inputs]}
     * @param ys the 0/1 targets, {@code [n x 1]}
     * @param maxEpochs the most epochs to run
     * @return true when an epoch made no mistake
     */
    public boolean fit(FloatMatrix xs, FloatMatrix ys, int maxEpochs) {
        Objects.requireNonNull(xs, "Perceptron.fit: argument 'x' is null");
        Objects.requireNonNull(ys, "Perceptron.fit: argument 'y' is null");
        if (xs.cols() != inputs) {
            throw new IllegalArgumentException("Perceptron.fit: argument 'x' must have " + inputs + " columns, got ["
                    + xs.rows() + " x " + xs.cols() + "]");
        }
        if (ys.cols() != 1 || ys.rows() != xs.rows()) {
            throw new IllegalArgumentException("Perceptron.fit: argument 'y' must be [" + xs.rows() + " x 1], got ["
                    + ys.rows() + " x " + ys.cols() + "]");
        }
        for (int i = 0; i < ys.rows(); i++) {
            float v = ys.data()[i];
            if (v != 0f && v != 1f) {
                throw new IllegalArgumentException("Perceptron.fit: argument 'y' must hold 0 or 1, got " + v
                        + " in row " + i);
            }
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("Perceptron.fit: argument 'max_epochs' must be >= 1, got " + maxEpochs);
        }
        converged = false;
        for (int epoch = 0; epoch < maxEpochs; epoch++) {
            backend.fill(errors, 0f);
            for (int i = 0; i < xs.rows(); i++) {
                x.copyFrom(xs.data(), i * inputs);
                t.copyFrom(ys.data(), i);
                output();
                backend.binary(BinaryOp.SUB, t, z, err);
                backend.gemm(true, false, learningRate, x, err, 1f, w);
                backend.axpby(learningRate, err, 1f, b);
                backend.binary(BinaryOp.MUL, err, err, z);
                backend.binary(BinaryOp.ADD, errors, z, errors);
            }
            epochsRun = epoch + 1;
            errors.copyTo(host, 0);
            if (host[0] == 0f) {
                converged = true;
                break;
            }
        }
        return converged;
    }

    /** z = step(x . w + b) for the staged sample. */
    private void output() {
        backend.gemm(false, false, 1f, x, w, 0f, z);
        backend.binary(BinaryOp.ADD, z, b, z);
        backend.activation(Activation.STEP, 0f, z, z);
    }

    /**
     * The 0/1 outputs for {@code xs}, {@code [n x 1]}.
     *
     * @param xs the samples, {@code [n x inputs]}
     * @return the outputs
     */
    public FloatMatrix predict(FloatMatrix xs) {
        Objects.requireNonNull(xs, "Perceptron.predict: argument 'x' is null");
        if (xs.cols() != inputs) {
            throw new IllegalArgumentException("Perceptron.predict: argument 'x' must have " + inputs
                    + " columns, got [" + xs.rows() + " x " + xs.cols() + "]");
        }
        float[] out = new float[xs.rows()];
        for (int i = 0; i < xs.rows(); i++) {
            x.copyFrom(xs.data(), i * inputs);
            output();
            z.copyTo(out, i);
        }
        return new FloatMatrix(xs.rows(), 1, out);
    }

    /**
     * Whether the last fit ended with an epoch without mistakes.
     *
     * @return true when converged
     */
    public boolean converged() {
        return converged;
    }

    /**
     * Epochs the last fit ran.
     *
     * @return the epoch count
     */
    public int epochsRun() {
        return epochsRun;
    }

    /**
     * The weights, one per input (a copy).
     *
     * @return the weights
     */
    public float[] weights() {
        return w.toArray();
    }

    /**
     * The bias.
     *
     * @return the bias
     */
    public float bias() {
        return b.toArray()[0];
    }

    @Override
    public void close() {
        Layer.close(w, b, x, t, z, err, errors);
    }
}
