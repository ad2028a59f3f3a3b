package dev.myelin.cpu;

import dev.myelin.spi.Activation;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the JDK Vector API with {@link FloatVector#SPECIES_PREFERRED} (8 floats with AVX2, 16
 * with AVX-512). Each loop runs whole vectors and leaves the tail to {@link ScalarKernels}. Only
 * reached through {@link VectorSupport}, so the scalar path never loads it.
 */
final class VectorKernels extends ScalarKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final MicroKernel microKernel = new VectorMicroKernel();

    @Override
    public String describe() {
        int bits = S.vectorBitSize();
        String arch = System.getProperty("os.arch", "");
        String isa;
        if (arch.contains("aarch64") || arch.contains("arm")) {
            isa = bits >= 256 ? "SVE" : "NEON";
        } else {
            isa = bits >= 512 ? "AVX-512" : bits >= 256 ? "AVX2" : "SSE";
        }
        return "Vector API: " + bits + "-bit, " + L + " floats/vector (" + isa + ")";
    }

    @Override
    public MicroKernel microKernel() {
        return microKernel;
    }

    private static int bound(int from, int to) {
        return from + S.loopBound(to - from);
    }

    // ------------------------------------------------------------------ activations

    @Override
    public void activation(Activation f, float alpha, float[] x, float[] y, int from, int to) {
        int end = bound(from, to);
        int i = from;
        switch (f) {
            case RELU -> {
                for (; i < end; i += L) {
                    FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
                }
            }
            case SIGMOID -> {
                for (; i < end; i += L) {
                    VectorMath.sigmoid(FloatVector.fromArray(S, x, i)).intoArray(y, i);
                }
            }
            case TANH -> {
                for (; i < end; i += L) {
                    VectorMath.tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
                }
            }
            case EXPONENTIAL -> {
                for (; i < end; i += L) {
                    VectorMath.exp(FloatVector.fromArray(S, x, i)).intoArray(y, i);
                }
            }
            case SOFTPLUS -> {
                for (; i < end; i += L) {
                    VectorMath.softplus(FloatVector.fromArray(S, x, i)).intoArray(y, i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
                }
            }
            case ELU, SELU -> {
                float outer = f == Activation.SELU ? SELU_SCALE : 1f;
                float inner = f == Activation.SELU ? SELU_SCALE_ALPHA : alpha;
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    FloatVector neg = VectorMath.expm1NonPositive(v).mul(inner);
                    neg.blend(v.mul(outer), v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
                }
            }
            case SOFTSIGN -> {
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    v.div(v.abs().add(1f)).intoArray(y, i);
                }
            }
            case STEP -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector zero = FloatVector.zero(S);
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    zero.blend(one, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
                }
            }
            case LINEAR -> {
                // arraycopy is already vectorised
            }
        }
        super.activation(f, alpha, x, y, i, to);
    }

    @Override
    public void activationBackward(Activation f, float alpha, float[] y, float[] dy, float[] dx, int from, int to) {
        int end = bound(from, to);
        int i = from;
        switch (f) {
            case RELU -> {
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, y, i);
                    FloatVector d = FloatVector.fromArray(S, dy, i);
                    d.mul(0f).blend(d, v.compare(VectorOperators.GT, 0f)).intoArray(dx, i);
                }
            }
            case SIGMOID -> {
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, y, i);
                    FloatVector d = FloatVector.fromArray(S, dy, i);
                    d.mul(v.mul(v.neg().add(1f))).intoArray(dx, i);
                }
            }
            case TANH -> {
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, y, i);
                    FloatVector d = FloatVector.fromArray(S, dy, i);
                    d.mul(v.mul(v).neg().add(1f)).intoArray(dx, i);
                }
            }
            case EXPONENTIAL -> {
                for (; i < end; i += L) {
                    FloatVector.fromArray(S, dy, i).mul(FloatVector.fromArray(S, y, i)).intoArray(dx, i);
                }
            }
            case LINEAR -> {
                for (; i < end; i += L) {
                    FloatVector.fromArray(S, dy, i).intoArray(dx, i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, y, i);
                    FloatVector d = FloatVector.fromArray(S, dy, i);
                    d.mul(alpha).blend(d, v.compare(VectorOperators.GT, 0f)).intoArray(dx, i);
                }
            }
            default -> {
                // step, elu, selu, softplus, softsign: rare in hot paths; the scalar loop handles them
            }
        }
        super.activationBackward(f, alpha, y, dy, dx, i, to);
    }

    // ------------------------------------------------------------------ softmax

    @Override
    public void softmaxRows(float[] x, float[] y, int cols, int rowFrom, int rowTo) {
        if (cols < L) {
            super.softmaxRows(x, y, cols, rowFrom, rowTo);
            return;
        }
        int vecCols = S.loopBound(cols);
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            int end = o + vecCols;
            int rowEnd = o + cols;
            FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int i = o; i < end; i += L) {
                vmax = vmax.max(FloatVector.fromArray(S, x, i));
            }
            float max = vmax.reduceLanes(VectorOperators.MAX);
            for (int i = end; i < rowEnd; i++) {
                max = Math.max(max, x[i]);
            }
            FloatVector vsum = FloatVector.zero(S);
            for (int i = o; i < end; i += L) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, i).sub(max));
                e.intoArray(y, i);
                vsum = vsum.add(e);
            }
            float sum = vsum.reduceLanes(VectorOperators.ADD);
            if (end < rowEnd) {
                // The tail goes through one masked vector so it uses the same exp as the body.
                var mask = S.indexInRange(end, rowEnd);
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, end, mask).sub(max));
                e.intoArray(y, end, mask);
                sum += e.reduceLanes(VectorOperators.ADD, mask);
            }
            float inv = 1f / sum;
            for (int i = o; i < end; i += L) {
                FloatVector.fromArray(S, y, i).mul(inv).intoArray(y, i);
            }
            for (int i = end; i < rowEnd; i++) {
                y[i] *= inv;
            }
        }
    }

    @Override
    public double expShifted(float[] x, float[] y, int o, int len, float shift) {
        int end = o + S.loopBound(len);
        double sum = 0;
        for (int b = o; b < end; b += SUM_BLOCK) {
            int e = Math.min(end, b + SUM_BLOCK);
            FloatVector acc = FloatVector.zero(S);
            for (int i = b; i < e; i += L) {
                FloatVector v = VectorMath.exp(FloatVector.fromArray(S, x, i).sub(shift));
                v.intoArray(y, i);
                acc = acc.add(v);
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        if (end < o + len) {
            var mask = S.indexInRange(end, o + len);
            FloatVector v = VectorMath.exp(FloatVector.fromArray(S, x, end, mask).sub(shift));
            v.intoArray(y, end, mask);
            sum += v.reduceLanes(VectorOperators.ADD, mask);
        }
        return sum;
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public double reduce(Reduction r, float[] x, int from, int to) {
        int end = bound(from, to);
        switch (r) {
            case MAX, MIN -> {
                boolean max = r == Reduction.MAX;
                FloatVector acc = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
                for (int i = from; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    acc = max ? acc.max(v) : acc.min(v);
                }
                float m = acc.reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
                double tail = super.reduce(r, x, end, to);
                return max ? Math.max(m, (float) tail) : Math.min(m, (float) tail);
            }
            default -> {
                double total = 0;
                for (int b = from; b < end; b += SUM_BLOCK) {
                    int e = Math.min(end, b + SUM_BLOCK);
                    total += sumBlock(r, x, b, e);
                }
                return total + super.reduce(r, x, end, to);
            }
        }
    }

    /** Sum of terms over whole vectors {@code [from, to)}; two accumulators hide the add latency. */
    private static float sumBlock(Reduction r, float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = from;
        switch (r) {
            case SUM_ABS -> {
                for (; i + L < to; i += 2 * L) {
                    s0 = s0.add(FloatVector.fromArray(S, x, i).abs());
                    s1 = s1.add(FloatVector.fromArray(S, x, i + L).abs());
                }
                for (; i < to; i += L) {
                    s0 = s0.add(FloatVector.fromArray(S, x, i).abs());
                }
            }
            case SUM_SQUARES -> {
                for (; i + L < to; i += 2 * L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    FloatVector w = FloatVector.fromArray(S, x, i + L);
                    s0 = v.fma(v, s0);
                    s1 = w.fma(w, s1);
                }
                for (; i < to; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    s0 = v.fma(v, s0);
                }
            }
            default -> {
                for (; i + L < to; i += 2 * L) {
                    s0 = s0.add(FloatVector.fromArray(S, x, i));
                    s1 = s1.add(FloatVector.fromArray(S, x, i + L));
                }
                for (; i < to; i += L) {
                    s0 = s0.add(FloatVector.fromArray(S, x, i));
                }
            }
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void reduceColumns(Reduction r, float[] x, int cols, int rowFrom, int rowTo, int colFrom, int colTo,
            float[] acc) {
        int end = bound(colFrom, colTo);
        for (int row = rowFrom; row < rowTo; row++) {
            int o = row * cols;
            for (int c = colFrom; c < end; c += L) {
                FloatVector v = FloatVector.fromArray(S, x, o + c);
                FloatVector a = FloatVector.fromArray(S, acc, c);
                a = switch (r) {
                    case MAX -> a.max(v);
                    case MIN -> a.min(v);
                    case SUM_ABS -> a.add(v.abs());
                    case SUM_SQUARES -> v.fma(v, a);
                    default -> a.add(v);
                };
                a.intoArray(acc, c);
            }
        }
        if (end < colTo) {
            super.reduceColumns(r, x, cols, rowFrom, rowTo, end, colTo, acc);
        }
    }

    // ------------------------------------------------------------------ element-wise arithmetic

    @Override
    public void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int len) {
        int n = S.loopBound(len);
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case SUB -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case MUL -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case DIV -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case MAX -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).max(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case MIN -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).min(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case EQUAL, GREATER -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector zero = FloatVector.zero(S);
                VectorOperators.Comparison cmp = op == BinaryOp.EQUAL ? VectorOperators.EQ : VectorOperators.GT;
                for (; i < n; i += L) {
                    FloatVector va = FloatVector.fromArray(S, a, ao + i);
                    zero.blend(one, va.compare(cmp, FloatVector.fromArray(S, b, bo + i))).intoArray(out, oo + i);
                }
            }
        }
        if (i < len) {
            super.binary(op, a, ao + i, b, bo + i, out, oo + i, len - i);
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, float[] a, int ao, float s, float[] out, int oo, int len) {
        int n = S.loopBound(len);
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).add(s).intoArray(out, oo + i);
                }
            }
            case SUB -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).sub(s).intoArray(out, oo + i);
                }
            }
            case MUL -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).mul(s).intoArray(out, oo + i);
                }
            }
            case DIV -> {
                for (; i < n; i += L) {
                    FloatVector.fromArray(S, a, ao + i).div(s).intoArray(out, oo + i);
                }
            }
            default -> {
                // max, min and comparisons against a scalar are rare; the scalar loop handles them
            }
        }
        if (i < len) {
            super.binaryScalar(op, a, ao + i, s, out, oo + i, len - i);
        }
    }

    @Override
    public void axpby(float alpha, float[] x, float beta, float[] y, int from, int to) {
        int end = bound(from, to);
        int i = from;
        if (beta == 0f) {
            for (; i < end; i += L) {
                FloatVector.fromArray(S, x, i).mul(alpha).intoArray(y, i);
            }
        } else {
            for (; i < end; i += L) {
                FloatVector yv = FloatVector.fromArray(S, y, i).mul(beta);
                FloatVector.fromArray(S, x, i).mul(alpha).add(yv).intoArray(y, i);
            }
        }
        super.axpby(alpha, x, beta, y, i, to);
    }
}
