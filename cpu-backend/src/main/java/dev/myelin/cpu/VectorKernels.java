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

    // Each loop is its own method in VectorActivations (its comment says why).
    @Override
    public void activation(Activation f, float alpha, float[] x, float[] y, int from, int to) {
        int end = bound(from, to);
        int i = switch (f) {
            case RELU -> VectorActivations.relu(x, y, from, end);
            case SIGMOID -> VectorActivations.sigmoid(x, y, from, end);
            case TANH -> VectorActivations.tanh(x, y, from, end);
            case EXPONENTIAL -> VectorActivations.exp(x, y, from, end);
            case SOFTPLUS -> VectorActivations.softplus(x, y, from, end);
            case LEAKY_RELU -> VectorActivations.leakyRelu(alpha, x, y, from, end);
            case ELU -> VectorActivations.elu(1f, alpha, x, y, from, end);
            case SELU -> VectorActivations.elu(SELU_SCALE, SELU_SCALE_ALPHA, x, y, from, end);
            case SOFTSIGN -> VectorActivations.softsign(x, y, from, end);
            case STEP -> VectorActivations.step(x, y, from, end);
            case LINEAR -> from;      // arraycopy in the scalar kernel is already vectorised
            case HARD_SIGMOID -> VectorActivations.hardSigmoid(false, x, y, from, end);
            case HARD_SILU -> VectorActivations.hardSigmoid(true, x, y, from, end);
            case RELU6 -> VectorActivations.relu6(x, y, from, end);
            case SILU -> VectorActivations.silu(x, y, from, end);
            case GELU_APPROXIMATE -> VectorActivations.geluTanh(x, y, from, end);
            case MISH -> VectorActivations.mish(x, y, from, end);
            case GELU -> from;        // erf: the scalar kernel (the Vector API has no ERF operator)
        };
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
            sum += VectorSums.sumLanes(acc);
        }
        // The tail is scalar like every other kernel's: masked loads and stores are not intrinsified
        // on AVX2, and their Java fallback boxed 192 bytes per row (a 10-class output layer has a tail).
        return sum + super.expShifted(x, y, end, o + len - end, shift);
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
                    total += VectorSums.sumBlock(r, x, b, e);
                }
                return total + super.reduce(r, x, end, to);
            }
        }
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
