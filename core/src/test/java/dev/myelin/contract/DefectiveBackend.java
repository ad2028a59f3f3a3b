package dev.myelin.contract;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.RowLoss;
import dev.myelin.spi.Shape;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;

/**
 * The reference backend with one deliberate, realistic defect, so that {@link ConformanceSuiteSelfTest}
 * can show the conformance suite catches it. Each defect is a mistake a float32 kernel could plausibly make.
 */
final class DefectiveBackend extends Backend {

    enum Defect {
        /** The activation kernel's loop stops one element short. */
        LAST_ELEMENT_UNWRITTEN,
        /** GEMM computes {@code beta * C} even when beta is 0, so NaN in C leaks through. */
        GEMM_READS_C_WHEN_BETA_IS_ZERO,
        /** GEMM on inputs rounded to 10 mantissa bits (TF32 tensor cores). */
        GEMM_IN_TF32,
        /** softplus as {@code log(1 + exp(x))} in float32: +Inf for large x. */
        SOFTPLUS_OVERFLOWS,
        /** tanh as {@code (e^2x - 1) / (e^2x + 1)}: Inf/Inf = NaN for large x. */
        TANH_OVERFLOWS,
        /** softmax without subtracting the row maximum. */
        SOFTMAX_WITHOUT_MAX,
        /** ELU's derivative written as leaky relu's: {@code y > 0 ? 1 : alpha}. */
        ELU_BACKWARD_AS_LEAKY_RELU,
        /** Adam with epsilon inside the square root: {@code m / sqrt(v + eps)}. */
        ADAM_EPSILON_INSIDE_SQRT,
        /** The L2 term folded as {@code l2 w} instead of {@code 2 l2 w}. */
        L2_NOT_DOUBLED,
        /** A uniform from other bits of the same counter: values differ from CounterRandom. */
        UNIFORM_FROM_OTHER_BITS,
        /** Dropout keeps where {@code uniform > rate} instead of {@code >=}. */
        DROPOUT_DROPS_TIES,
        /** argmax returns the last of equal maxima. */
        ARGMAX_LAST_OF_TIES,
        /** A column {@code [rows x 1]} broadcast as if it were a row. */
        COLUMN_BROADCAST_AS_ROW,
        /** The exact sigmoid cross-entropy computed from log(p) and log(1 - p): Inf at large logits. */
        EXACT_SIGMOID_LOSS_FROM_PROBABILITIES,
        /** A device context bound to the thread that created the backend. */
        BOUND_TO_CREATING_THREAD,
        /** relu as {@code x > 0 ? x : 0} (what OpenCL C's {@code fmax(x, 0)} does too): relu(NaN) = 0. */
        RELU_SWALLOWS_NAN,
        /** MAX and MIN reductions combined with fmax/fmin, which skip a NaN. */
        MAX_REDUCTION_SKIPS_NAN,
        /** argmax with '>' only: a NaN is never chosen. */
        ARGMAX_SKIPS_NAN,
        /** categorical hinge fills a row's other columns with {@code 0 * loss}: an infinite margin gives NaN there. */
        HINGE_ZERO_TIMES_LOSS,
        /** softmax cross-entropy clamps the probability before its log, NaN included: a finite loss of a NaN row. */
        CLIP_TURNS_NAN_INTO_LOSS,
        /** clipvalue applied to the raw gradient, before the L1/L2 terms are added (Keras clips their sum). */
        CLIP_BEFORE_REGULARIZER,
        /** The batch variance divided by n - 1 (numpy's ddof=1) instead of Keras's biased n. */
        UNBIASED_BATCH_VARIANCE,
        /** Batch-norm backward without the gradient through the batch mean and variance. */
        NORMALIZE_BACKWARD_IGNORES_STATISTICS
    }

    private final Defect defect;
    private final ReferenceBackend ref = new ReferenceBackend();
    private final Thread creator = Thread.currentThread();

    DefectiveBackend(Defect defect) {
        super("defective");
        this.defect = defect;
    }

    @Override
    public String device() {
        return "reference with defect " + defect;
    }

    private static float[] data(Tensor t) {
        return ((ReferenceBackend.HeapTensor) t).data;
    }

    @Override
    protected Tensor allocate(Shape shape) {
        if (defect == Defect.BOUND_TO_CREATING_THREAD && Thread.currentThread() != creator) {
            throw new IllegalStateException("no current context on thread " + Thread.currentThread().getName());
        }
        return new ReferenceBackend.HeapTensor(this, shape);
    }

    @Override
    protected void write(Tensor t, float[] src, int offset) {
        ref.write(t, src, offset);
    }

    @Override
    protected void read(Tensor t, float[] dst, int offset) {
        ref.read(t, dst, offset);
    }

    @Override
    protected void finish() {
    }

    @Override
    protected void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        if (defect == Defect.GEMM_READS_C_WHEN_BETA_IS_ZERO) {
            float[] before = data(c).clone();
            ref.gemmKernel(transA, transB, alpha, a, b, 0f, c);
            float[] out = data(c);
            for (int i = 0; i < out.length; i++) {
                out[i] += beta * before[i];
            }
        } else if (defect == Defect.GEMM_IN_TF32) {
            float[] av = data(a).clone();
            float[] bv = data(b).clone();
            ref.gemmKernel(transA, transB, alpha, tf32(a), tf32(b), beta, c);
            System.arraycopy(av, 0, data(a), 0, av.length);
            System.arraycopy(bv, 0, data(b), 0, bv.length);
        } else {
            ref.gemmKernel(transA, transB, alpha, a, b, beta, c);
        }
    }

    private static Tensor tf32(Tensor t) {
        float[] v = data(t);
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(Float.floatToRawIntBits(v[i]) & 0xFFFFE000);
        }
        return t;
    }

    @Override
    protected void activationKernel(Activation f, float alpha, Tensor x, Tensor y) {
        float[] xv = data(x).clone();
        float[] yv = data(y);
        if (defect == Defect.SOFTPLUS_OVERFLOWS && f == Activation.SOFTPLUS) {
            for (int i = 0; i < xv.length; i++) {
                yv[i] = (float) Math.log(1f + (float) Math.exp(xv[i]));
            }
        } else if (defect == Defect.TANH_OVERFLOWS && f == Activation.TANH) {
            for (int i = 0; i < xv.length; i++) {
                float e = (float) Math.exp(2 * xv[i]);
                yv[i] = (e - 1) / (e + 1);
            }
        } else if (defect == Defect.RELU_SWALLOWS_NAN && f == Activation.RELU) {
            for (int i = 0; i < xv.length; i++) {
                yv[i] = xv[i] > 0 ? xv[i] : 0f;
            }
        } else if (defect == Defect.LAST_ELEMENT_UNWRITTEN && x != y) {
            float last = yv[yv.length - 1];
            ref.activationKernel(f, alpha, x, y);
            yv[yv.length - 1] = last;
        } else {
            ref.activationKernel(f, alpha, x, y);
        }
    }

    @Override
    protected void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        if (defect == Defect.ELU_BACKWARD_AS_LEAKY_RELU && f == Activation.ELU) {
            float[] yv = data(y).clone();
            float[] dyv = data(dy).clone();
            float[] dxv = data(dx);
            for (int i = 0; i < yv.length; i++) {
                dxv[i] = dyv[i] * (yv[i] > 0 ? 1 : alpha);
            }
        } else {
            ref.activationBackwardKernel(f, alpha, y, dy, dx);
        }
    }

    @Override
    protected void activationBackwardFromInputKernel(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        ref.activationBackwardFromInputKernel(f, alpha, x, dy, dx);
    }

    @Override
    protected void logSoftmaxKernel(Tensor x, Tensor y) {
        ref.logSoftmaxKernel(x, y);
    }

    @Override
    protected void rowLossKernel(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        ref.rowLossKernel(kind, scale, pred, target, loss, grad);
        if (defect == Defect.HINGE_ZERO_TIMES_LOSS && kind == RowLoss.CATEGORICAL_HINGE) {
            float[] l = data(loss);
            int cols = loss.cols();
            for (int i = 0; i < l.length; i++) {
                l[i] = i % cols == 0 ? l[i] : 0f * l[i - i % cols];
            }
        }
    }

    @Override
    protected void softmaxKernel(Tensor x, Tensor y) {
        if (defect == Defect.SOFTMAX_WITHOUT_MAX) {
            int rows = x.rows();
            int cols = x.cols();
            float[] xv = data(x).clone();
            float[] yv = data(y);
            for (int i = 0; i < rows; i++) {
                float sum = 0;
                for (int j = 0; j < cols; j++) {
                    yv[i * cols + j] = (float) Math.exp(xv[i * cols + j]);
                    sum += yv[i * cols + j];
                }
                for (int j = 0; j < cols; j++) {
                    yv[i * cols + j] /= sum;
                }
            }
        } else {
            ref.softmaxKernel(x, y);
        }
    }

    @Override
    protected void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out) {
        boolean extreme = r == Reduction.MAX || r == Reduction.MIN;
        if (defect == Defect.MAX_REDUCTION_SKIPS_NAN && extreme && axis == Axis.PER_ROW) {
            int cols = x.cols();
            float[] xv = data(x);
            float[] o = data(out);
            for (int i = 0; i < x.rows(); i++) {
                float acc = r == Reduction.MAX ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    float v = xv[i * cols + j];
                    // fmax/fmin: a NaN operand yields the other one.
                    acc = Float.isNaN(v) ? acc : r == Reduction.MAX ? Math.max(acc, v) : Math.min(acc, v);
                }
                o[i] = acc;
            }
        } else {
            ref.reduceKernel(r, axis, x, out);
        }
    }

    @Override
    protected void argmaxKernel(Tensor x, Tensor out) {
        if (defect == Defect.ARGMAX_SKIPS_NAN) {
            int cols = x.cols();
            float[] xv = data(x);
            float[] o = data(out);
            for (int i = 0; i < x.rows(); i++) {
                int best = 0;
                for (int j = 1; j < cols; j++) {
                    if (xv[i * cols + j] > xv[i * cols + best] || Float.isNaN(xv[i * cols + best])) {
                        best = j;
                    }
                }
                o[i] = best;
            }
        } else if (defect == Defect.ARGMAX_LAST_OF_TIES) {
            int rows = x.rows();
            int cols = x.cols();
            float[] xv = data(x);
            float[] o = data(out);
            for (int i = 0; i < rows; i++) {
                int best = 0;
                for (int j = 1; j < cols; j++) {
                    if (xv[i * cols + j] >= xv[i * cols + best]) {
                        best = j;
                    }
                }
                o[i] = best;
            }
        } else {
            ref.argmaxKernel(x, out);
        }
    }

    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (defect == Defect.COLUMN_BROADCAST_AS_ROW && b.cols() == 1 && b.rows() == a.rows() && a.cols() > 1) {
            int rows = a.rows();
            int cols = a.cols();
            float[] av = data(a).clone();
            float[] bv = data(b).clone();
            float[] o = data(out);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    o[i * cols + j] = (float) ReferenceMath.binary(op, av[i * cols + j], bv[j % rows]);
                }
            }
        } else {
            ref.binaryKernel(op, a, b, out);
        }
    }

    @Override
    protected void axpbyKernel(float alpha, Tensor x, float beta, Tensor y) {
        ref.axpbyKernel(alpha, x, beta, y);
    }

    @Override
    protected void fillKernel(Tensor t, float value) {
        ref.fillKernel(t, value);
    }

    @Override
    protected void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed) {
        if (defect == Defect.UNIFORM_FROM_OTHER_BITS && d == Distribution.UNIFORM) {
            float[] v = data(t);
            for (int i = 0; i < v.length; i++) {
                v[i] = a + (b - a) * ((CounterRandom.bits(seed, i) >>> 41) * 0x1.0p-23f);
            }
        } else {
            ref.randomFillKernel(t, d, a, b, seed);
        }
    }

    @Override
    protected void dropoutKernel(float rate, long seed, Tensor x, Tensor y) {
        if (defect == Defect.DROPOUT_DROPS_TIES) {
            float[] xv = data(x).clone();
            float[] yv = data(y);
            for (int i = 0; i < xv.length; i++) {
                yv[i] = CounterRandom.uniform(seed, i) > rate ? xv[i] / (1 - rate) : 0;
            }
        } else {
            ref.dropoutKernel(rate, seed, x, y);
        }
    }

    @Override
    protected void elementLossKernel(ElementLoss kind, float param, float param2, float scale, Tensor pred, Tensor target,
            Tensor loss, Tensor grad) {
        ref.elementLossKernel(kind, param, param2, scale, pred, target, loss, grad);
    }

    @Override
    protected void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits, Tensor target,
            Tensor probs, Tensor loss, Tensor grad) {
        ref.crossEntropyKernel(kind, clip, scale, logits, target, probs, loss, grad);
        if (defect == Defect.CLIP_TURNS_NAN_INTO_LOSS && kind == LogitsLoss.SOFTMAX && clip) {
            float[] p = data(probs);
            float[] t = data(target);
            float[] l = data(loss);
            for (int i = 0; i < p.length; i++) {
                // OpenCL C's clamp(NaN, lo, hi) is lo: the loss of a NaN row becomes -t ln(1e-7).
                float q = Float.isNaN(p[i]) ? ElementLoss.EPS : Math.min(Math.max(p[i], ElementLoss.EPS), 1 - ElementLoss.EPS);
                l[i] = scale * -t[i] * (float) Math.log(q);
            }
        }
        if (defect == Defect.EXACT_SIGMOID_LOSS_FROM_PROBABILITIES && kind == LogitsLoss.SIGMOID && !clip) {
            float[] p = data(probs);
            float[] t = data(target);
            float[] l = data(loss);
            for (int i = 0; i < p.length; i++) {
                l[i] = scale * -(t[i] * (float) Math.log(p[i]) + (1 - t[i]) * (float) Math.log(1 - p[i]));
            }
        }
    }

    @Override
    protected void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip,
            float clipAt, Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor[] slots) {
        float[] wv = data(w);
        float[] gv = data(g);
        if (defect == Defect.ADAM_EPSILON_INSIDE_SQRT && rule == UpdateRule.ADAM) {
            float[] m = data(slots[0]);
            float[] v = data(slots[1]);
            for (int i = 0; i < wv.length; i++) {
                float gi = gv[i] + l1 * Math.signum(wv[i]) + 2 * l2 * wv[i];
                m[i] += (1 - c[1]) * (gi - m[i]);
                v[i] += (1 - c[2]) * (gi * gi - v[i]);
                wv[i] -= c[0] * m[i] / (float) Math.sqrt(v[i] + c[3]);
            }
        } else if (defect == Defect.L2_NOT_DOUBLED && rule == UpdateRule.SGD) {
            for (int i = 0; i < wv.length; i++) {
                wv[i] -= c[0] * (gv[i] + l1 * Math.signum(wv[i]) + l2 * wv[i]);
            }
        } else if (defect == Defect.CLIP_BEFORE_REGULARIZER && clip == GradientClip.VALUE) {
            float[] clipped = gv.clone();
            for (int i = 0; i < clipped.length; i++) {
                clipped[i] = Math.max(-clipAt, Math.min(clipAt, clipped[i]));
            }
            try (Tensor t = tensor(g.rows(), g.cols(), clipped)) {
                ref.optimizerUpdateKernel(rule, c, l1, l2, GradientClip.NONE, 0f, null, decay, w, t, slots);
            }
        } else {
            ref.optimizerUpdateKernel(rule, c, l1, l2, clip, clipAt, sumSquares, decay, w, g, slots);
        }
    }

    @Override
    protected void momentsKernel(Axis axis, Tensor x, Tensor mean, Tensor variance) {
        ref.momentsKernel(axis, x, mean, variance);
        int n = axis == Axis.PER_COLUMN ? x.rows() : x.cols();
        if (defect == Defect.UNBIASED_BATCH_VARIANCE && n > 1) {
            float[] v = data(variance);
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] * n / (n - 1);
            }
        }
    }

    @Override
    protected void normalizeKernel(Axis axis, float epsilon, float floor, Tensor x, Tensor mean, Tensor variance,
            Tensor gamma, Tensor beta, Tensor y) {
        ref.normalizeKernel(axis, epsilon, floor, x, mean, variance, gamma, beta, y);
    }

    @Override
    protected void normalizeBackwardKernel(Axis axis, boolean batchStatistics, float epsilon, float floor, Tensor x,
            Tensor mean, Tensor variance, Tensor gamma, Tensor dy, Tensor dgamma, Tensor dbeta, Tensor dx) {
        boolean through = batchStatistics && defect != Defect.NORMALIZE_BACKWARD_IGNORES_STATISTICS;
        ref.normalizeBackwardKernel(axis, through, epsilon, floor, x, mean, variance, gamma, dy, dgamma, dbeta, dx);
    }

    @Override
    protected void shutdown() {
    }
}
