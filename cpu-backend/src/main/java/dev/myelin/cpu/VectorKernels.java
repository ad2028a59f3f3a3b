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

    private final MicroKernel microKernel = microKernelFor(S.vectorBitSize(), System.getProperty("os.arch", ""));

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

    /**
     * The widest GEMM tile that stays in the vector registers of this species: 512-bit vectors come
     * with 32 registers (AVX-512), room for the 8-row tile (20 live vectors); x86 with 256-bit vectors
     * has 16 (AVX2), room for the 6-row tile (16 live vectors); anything else keeps the 4-row tile.
     * The wrong choice spills: with {@code -XX:UseAVX=2} the 8-row tile keeps accumulators on the
     * stack (5 vector loads and 5 stores a step) and runs 15 % slower than the 6-row one.
     */
    static MicroKernel microKernelFor(int vectorBits, String arch) {
        if (vectorBits >= 512) {
            return new EightRowMicroKernel();
        }
        if (vectorBits == 256 && (arch.contains("amd64") || arch.contains("x86"))) {
            return new SixRowMicroKernel();
        }
        return new VectorMicroKernel();
    }

    private static int bound(int from, int to) {
        return from + S.loopBound(to - from);
    }

    // ------------------------------------------------------------------ activations

    // Each loop is its own method: one method holding every case grew past C2's inlining budget
    // once several cases had run, and the vector math left out of line boxed every vector.
    @Override
    public void activation(Activation f, float alpha, float[] x, float[] y, int from, int to) {
        int end = bound(from, to);
        int i = switch (f) {
            case RELU -> relu(x, y, from, end);
            case SIGMOID -> sigmoid(x, y, from, end);
            case TANH -> tanh(x, y, from, end);
            case EXPONENTIAL -> exp(x, y, from, end);
            case SOFTPLUS -> softplus(x, y, from, end);
            case LEAKY_RELU -> leakyRelu(alpha, x, y, from, end);
            case ELU -> elu(1f, alpha, x, y, from, end);
            case SELU -> elu(SELU_SCALE, SELU_SCALE_ALPHA, x, y, from, end);
            case SOFTSIGN -> softsign(x, y, from, end);
            case STEP -> step(x, y, from, end);
            case LINEAR -> from;      // arraycopy in the scalar kernel is already vectorised
            case HARD_SIGMOID -> hardSigmoid(false, x, y, from, end);
            case HARD_SILU -> hardSigmoid(true, x, y, from, end);
            case RELU6 -> relu6(x, y, from, end);
            case SILU -> silu(x, y, from, end);
            case GELU_APPROXIMATE -> geluTanh(x, y, from, end);
            case MISH -> mish(x, y, from, end);
            case GELU -> from;        // erf: the scalar kernel (the Vector API has no ERF operator)
        };
        super.activation(f, alpha, x, y, i, to);
    }

    /** {@code clip(x / 6 + 0.5, 0, 1)}, times x for hard_silu; the clip by blends keeps NaN. */
    private static int hardSigmoid(boolean timesX, float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector h = v.div(6f).add(0.5f);
            h = h.blend(0f, h.compare(VectorOperators.LE, 0f)).blend(1f, h.compare(VectorOperators.GE, 1f));
            (timesX ? h.mul(v) : h).intoArray(y, i);
        }
        return i;
    }

    private static int relu6(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.blend(0f, v.compare(VectorOperators.LT, 0f)).blend(6f, v.compare(VectorOperators.GT, 6f)).intoArray(y, i);
        }
        return i;
    }

    private static int silu(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(VectorMath.sigmoid(v)).intoArray(y, i);
        }
        return i;
    }

    /** {@code x sigmoid(2u)}, which equals {@code x (1 + tanh u) / 2} without its cancellation for negative x. */
    private static int geluTanh(float[] x, float[] y, int i, int end) {
        float k2 = (float) (2 * Math.sqrt(2 / Math.PI));
        float c = (float) Activation.GELU_CUBIC;
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector u2 = v.mul(v).mul(v).mul(c).add(v).mul(k2);
            v.mul(VectorMath.sigmoid(u2)).intoArray(y, i);
        }
        return i;
    }

    private static int mish(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(VectorMath.tanh(VectorMath.softplus(v))).intoArray(y, i);
        }
        return i;
    }

    private static int relu(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
        }
        return i;
    }

    private static int sigmoid(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            VectorMath.sigmoid(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    private static int tanh(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            VectorMath.tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    private static int exp(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            VectorMath.exp(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    private static int softplus(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            VectorMath.softplus(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    private static int leakyRelu(float alpha, float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        return i;
    }

    private static int elu(float outer, float inner, float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector neg = VectorMath.expm1NonPositive(v).mul(inner);
            neg.blend(v.mul(outer), v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        return i;
    }

    private static int softsign(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.div(v.abs().add(1f)).intoArray(y, i);
        }
        return i;
    }

    private static int step(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            // NaN fails '> 0' like a negative number would: put it back.
            FloatVector.zero(S).blend(FloatVector.broadcast(S, 1f), v.compare(VectorOperators.GT, 0f))
                    .blend(v, v.test(VectorOperators.IS_NAN)).intoArray(y, i);
        }
        return i;
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
                    // A NaN y fails '> 0' like a negative one would: put it back (f'(NaN) = NaN).
                    d.mul(0f).blend(d, v.compare(VectorOperators.GT, 0f)).blend(v, v.test(VectorOperators.IS_NAN))
                            .intoArray(dx, i);
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
                    FloatVector v = FloatVector.fromArray(S, y, i);
                    FloatVector.fromArray(S, dy, i).blend(v, v.test(VectorOperators.IS_NAN)).intoArray(dx, i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, y, i);
                    FloatVector d = FloatVector.fromArray(S, dy, i);
                    d.mul(alpha).blend(d, v.compare(VectorOperators.GT, 0f)).blend(v, v.test(VectorOperators.IS_NAN))
                            .intoArray(dx, i);
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
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            float max = rowMax(x, o, o + cols);
            double sum = expShifted(x, y, o, cols, max);
            scale(y, o, o + cols, (float) (1.0 / sum));
        }
    }

    /** Largest element of {@code x[from..to)}, at least one vector long. */
    private static float rowMax(float[] x, int from, int to) {
        int end = bound(from, to);
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = from; i < end; i += L) {
            // The fresh vector is the receiver: a call on the loop phi would not be intrinsified.
            vmax = FloatVector.fromArray(S, x, i).max(vmax);
        }
        float max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY).max(vmax).reduceLanes(VectorOperators.MAX);
        for (int i = end; i < to; i++) {
            max = Math.max(max, x[i]);
        }
        return max;
    }

    private static void scale(float[] y, int from, int to, float factor) {
        int end = bound(from, to);
        int i = from;
        for (; i < end; i += L) {
            FloatVector.fromArray(S, y, i).mul(factor).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] *= factor;
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
                FloatVector v = VectorMath.expNonPositive(FloatVector.fromArray(S, x, i).sub(shift));
                v.intoArray(y, i);
                acc = v.add(acc);
            }
            sum += sumLanes(acc);
        }
        // The tail is scalar like every other kernel's: masked loads and stores are not intrinsified
        // on AVX2, and their Java fallback boxed 192 bytes per row (a 10-class output layer has a tail).
        return sum + super.expShifted(x, y, end, o + len - end, shift);
    }

    // ------------------------------------------------------------------ reductions

    /**
     * The sum of all lanes, always added in lane order. reduceLanes(ADD) may associate differently in
     * compiled and interpreted code, so a result depended on when the JIT compiled the loop, and two
     * trainings with the same seed drifted apart. The lane indices are constants and the receiver is a
     * fresh vector: with a variable index, or on a loop phi, C2 boxed the vector on every call.
     */
    private static float sumLanes(FloatVector v) {
        FloatVector w = FloatVector.zero(S).add(v);
        float s = w.lane(0);
        if (L >= 2) {
            s = s + w.lane(1);
        }
        if (L >= 4) {
            s = s + w.lane(2) + w.lane(3);
        }
        if (L >= 8) {
            s = s + w.lane(4) + w.lane(5) + w.lane(6) + w.lane(7);
        }
        if (L >= 16) {
            s = s + w.lane(8) + w.lane(9) + w.lane(10) + w.lane(11) + w.lane(12) + w.lane(13) + w.lane(14) + w.lane(15);
        }
        return s;
    }

    @Override
    public double reduce(Reduction r, float[] x, int from, int to) {
        int end = bound(from, to);
        switch (r) {
            case MAX, MIN -> {
                boolean max = r == Reduction.MAX;
                FloatVector acc = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
                for (int i = from; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    acc = max ? v.max(acc) : v.min(acc);
                }
                float m = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY)
                        .lanewise(max ? VectorOperators.MAX : VectorOperators.MIN, acc)
                        .reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
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

    /** Sum of terms over whole vectors {@code [from, to)}; one method per term keeps each loop small for C2. */
    private static float sumBlock(Reduction r, float[] x, int from, int to) {
        return switch (r) {
            case SUM_ABS -> sumAbs(x, from, to);
            case SUM_SQUARES -> sumSquares(x, from, to);
            default -> sum(x, from, to);
        };
    }

    /**
     * The end of the whole groups of four vectors in {@code [from, to)}. The sums loop up to it rather
     * than test {@code i + 3 * L < to}: for that form C2 kept two range checks and a safepoint poll in
     * the body and did not unroll it, and a 16 MiB sum streamed 15.5 GB/s against 19.1 GB/s for the
     * counted loop (one thread, alternating in one JVM; the same loop in C read 19.4 GB/s of the same
     * Java array).
     */
    private static int quadBound(int from, int to) {
        return from + (to - from) / (4 * L) * (4 * L);
    }

    // Four accumulators hide the add latency (4 cycles) behind two loads a cycle; each update has the
    // freshly loaded vector as its receiver (a call on the loop phi would not be intrinsified).
    private static float sum(float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = from;
        for (int end = quadBound(from, to); i < end; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, i).add(s0);
            s1 = FloatVector.fromArray(S, x, i + L).add(s1);
            s2 = FloatVector.fromArray(S, x, i + 2 * L).add(s2);
            s3 = FloatVector.fromArray(S, x, i + 3 * L).add(s3);
        }
        for (; i < to; i += L) {
            s0 = FloatVector.fromArray(S, x, i).add(s0);
        }
        return sumLanes(FloatVector.zero(S).add(s0).add(s1).add(s2).add(s3));
    }

    private static float sumAbs(float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = from;
        for (int end = quadBound(from, to); i < end; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, i).abs().add(s0);
            s1 = FloatVector.fromArray(S, x, i + L).abs().add(s1);
            s2 = FloatVector.fromArray(S, x, i + 2 * L).abs().add(s2);
            s3 = FloatVector.fromArray(S, x, i + 3 * L).abs().add(s3);
        }
        for (; i < to; i += L) {
            s0 = FloatVector.fromArray(S, x, i).abs().add(s0);
        }
        return sumLanes(FloatVector.zero(S).add(s0).add(s1).add(s2).add(s3));
    }

    private static float sumSquares(float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int i = from;
        for (int end = quadBound(from, to); i < end; i += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, i);
            FloatVector v1 = FloatVector.fromArray(S, x, i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, i + 3 * L);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; i < to; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            s0 = v.fma(v, s0);
        }
        return sumLanes(FloatVector.zero(S).add(s0).add(s1).add(s2).add(s3));
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
