package dev.myelin.contract;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.Arrays;

/**
 * A plain-Java backend for tests: tensors are {@code float[]} on the heap, and every kernel widens
 * its inputs to float64, calls {@link ReferenceMath} and rounds the result to float32. It is slow
 * and exact, so the model layer's tests can train small networks without a real backend, and the
 * conformance suite can check itself on it.
 *
 * <p>Deliberately not registered in {@code META-INF/services}: it is never a selectable backend.
 * New tensors hold NaN, so reading an element that was never written shows up at once.
 *
 * <pre>{@code
 * try (Backend backend = new ReferenceBackend()) {
 *     Tensor x = backend.tensor(2, 3, new float[] {1, 2, 3, 4, 5, 6});
 *     ...
 * }
 * }</pre>
 */
public final class ReferenceBackend extends Backend {

    /** Name the reference backend reports; not a provider name. */
    public static final String NAME = "reference";

    public ReferenceBackend() {
        super(NAME);
    }

    @Override
    public String device() {
        return "Java heap, float64 reference math rounded to float32";
    }

    /** A tensor of this backend: a heap array. */
    static final class HeapTensor extends Tensor {
        final float[] data;

        HeapTensor(Backend backend, Shape shape) {
            super(backend, shape);
            this.data = new float[shape.size()];
            Arrays.fill(data, Float.NaN);
        }

        @Override
        protected void release() {
            // Heap memory: the garbage collector frees it.
        }
    }

    private static float[] data(Tensor t) {
        return ((HeapTensor) t).data;
    }

    private static double[] in(Tensor t) {
        return ReferenceMath.toDouble(data(t));
    }

    private static void out(double[] values, Tensor t) {
        float[] d = data(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) values[i];
        }
    }

    @Override
    protected Tensor allocate(Shape shape) {
        return new HeapTensor(this, shape);
    }

    @Override
    protected void write(Tensor t, float[] src, int offset) {
        System.arraycopy(src, offset, data(t), 0, t.size());
    }

    @Override
    protected void read(Tensor t, float[] dst, int offset) {
        System.arraycopy(data(t), 0, dst, offset, t.size());
    }

    @Override
    protected void finish() {
        // Every kernel runs synchronously.
    }

    @Override
    protected void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        out(ReferenceMath.gemm(transA, transB, alpha, in(a), a.rows(), a.cols(), in(b), b.rows(), b.cols(), beta,
                beta == 0 ? null : in(c)), c);
    }

    @Override
    protected void activationKernel(Activation f, float alpha, Tensor x, Tensor y) {
        out(ReferenceMath.activation(f, alpha, in(x)), y);
    }

    @Override
    protected void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        out(ReferenceMath.activationBackward(f, alpha, in(y), in(dy)), dx);
    }

    @Override
    protected void activationBackwardFromInputKernel(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        out(ReferenceMath.activationBackwardFromInput(f, alpha, in(x), in(dy)), dx);
    }

    @Override
    protected void logSoftmaxKernel(Tensor x, Tensor y) {
        out(ReferenceMath.logSoftmax(in(x), x.rows(), x.cols()), y);
    }

    @Override
    protected void softmaxKernel(Tensor x, Tensor y) {
        out(ReferenceMath.softmax(in(x), x.rows(), x.cols()), y);
    }

    @Override
    protected void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out) {
        out(ReferenceMath.reduce(r, axis, in(x), x.rows(), x.cols()), out);
    }

    @Override
    protected void argmaxKernel(Tensor x, Tensor out) {
        out(ReferenceMath.argmax(in(x), x.rows(), x.cols()), out);
    }

    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        out(ReferenceMath.binary(op, in(a), a.rows(), a.cols(), in(b), b.rows(), b.cols()), out);
    }

    @Override
    protected void axpbyKernel(float alpha, Tensor x, float beta, Tensor y) {
        out(ReferenceMath.axpby(alpha, in(x), beta, beta == 0 ? null : in(y)), y);
    }

    @Override
    protected void fillKernel(Tensor t, float value) {
        Arrays.fill(data(t), value);
    }

    @Override
    protected void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed) {
        out(ReferenceMath.randomFill(d, a, b, seed, t.size()), t);
    }

    @Override
    protected void dropoutKernel(float rate, long seed, Tensor x, Tensor y) {
        out(ReferenceMath.dropout(rate, seed, in(x)), y);
    }

    @Override
    protected void elementLossKernel(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad) {
        ReferenceMath.LossAndGradient r = ReferenceMath.elementLoss(kind, param, param2, scale, in(pred), in(target));
        out(r.loss(), loss);
        out(r.grad(), grad);
    }

    @Override
    protected void rowLossKernel(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        ReferenceMath.LossAndGradient r = KerasReference.rowLoss(kind, scale, in(pred), in(target), pred.rows(),
                pred.cols());
        out(r.loss(), loss);
        out(r.grad(), grad);
    }

    @Override
    protected void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits, Tensor target,
            Tensor probs, Tensor loss, Tensor grad) {
        ReferenceMath.LogitsResult r = ReferenceMath.crossEntropyWithLogits(kind, clip, scale, in(logits), in(target),
                logits.rows(), logits.cols());
        out(r.probs(), probs);
        out(r.loss(), loss);
        out(r.grad(), grad);
    }

    @Override
    protected void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip,
            float clipAt, Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor[] slots) {
        double[] wd = in(w);
        double[][] sd = new double[slots.length][];
        for (int i = 0; i < slots.length; i++) {
            sd[i] = in(slots[i]);
        }
        double[] cd = ReferenceMath.toDouble(c);
        double s = sumSquares == null ? 0 : in(sumSquares)[0];
        ReferenceMath.optimizerUpdate(rule, cd, l1, l2, clip, clipAt, s, decay, wd, in(g), sd);
        out(wd, w);
        for (int i = 0; i < slots.length; i++) {
            out(sd[i], slots[i]);
        }
    }

    @Override
    protected void momentsKernel(Axis axis, Tensor x, Tensor mean, Tensor variance) {
        double[][] m = NormalizationMath.moments(axis, in(x), x.rows(), x.cols());
        out(m[0], mean);
        out(m[1], variance);
    }

    @Override
    protected void normalizeKernel(Axis axis, float epsilon, float floor, Tensor x, Tensor mean, Tensor variance,
            Tensor gamma, Tensor beta, Tensor y) {
        out(NormalizationMath.normalize(axis, epsilon, floor, in(x), x.rows(), x.cols(), in(mean), in(variance),
                gamma == null ? null : in(gamma), beta == null ? null : in(beta)), y);
    }

    @Override
    protected void normalizeBackwardKernel(Axis axis, boolean batchStatistics, float epsilon, float floor, Tensor x,
            Tensor mean, Tensor variance, Tensor gamma, Tensor dy, Tensor dgamma, Tensor dbeta, Tensor dx) {
        double[][] g = NormalizationMath.normalizeBackward(axis, batchStatistics, epsilon, floor, in(x), x.rows(),
                x.cols(), in(mean), in(variance), gamma == null ? null : in(gamma), in(dy));
        if (dgamma != null) {
            out(g[0], dgamma);
        }
        if (dbeta != null) {
            out(g[1], dbeta);
        }
        out(g[2], dx);
    }

    @Override
    protected void shutdown() {
        // Nothing to free: the tensors live on the heap.
    }
}
