package dev.myelin.cpu;

import dev.myelin.spi.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward activation loops of {@link VectorKernels}, one method per function: one method holding
 * every case grew past C2's inlining budget once several cases had run, and the vector math left out of
 * line boxed every vector. Each runs whole vectors over {@code [i, end)} and returns where it stopped;
 * the caller leaves the tail to {@link ScalarKernels}.
 */
final class VectorActivations {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorActivations() {
    }

    /** {@code clip(x / 6 + 0.5, 0, 1)}, times x for hard_silu; the clip by blends keeps NaN. */
    static int hardSigmoid(boolean timesX, float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector h = v.div(6f).add(0.5f);
            h = h.blend(0f, h.compare(VectorOperators.LE, 0f)).blend(1f, h.compare(VectorOperators.GE, 1f));
            (timesX ? h.mul(v) : h).intoArray(y, i);
        }
        return i;
    }

    static int relu6(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.blend(0f, v.compare(VectorOperators.LT, 0f)).blend(6f, v.compare(VectorOperators.GT, 6f)).intoArray(y, i);
        }
        return i;
    }

    static int silu(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(VectorMath.sigmoid(v)).intoArray(y, i);
        }
        return i;
    }

    /** {@code x sigmoid(2u)}, which equals {@code x (1 + tanh u) / 2} without its cancellation for negative x. */
    static int geluTanh(float[] x, float[] y, int i, int end) {
        float k2 = (float) (2 * Math.sqrt(2 / Math.PI));
        float c = (float) Activation.GELU_CUBIC;
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector u2 = v.mul(v).mul(v).mul(c).add(v).mul(k2);
            v.mul(VectorMath.sigmoid(u2)).intoArray(y, i);
        }
        return i;
    }

    static int mish(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(VectorMath.tanh(VectorMath.softplus(v))).intoArray(y, i);
        }
        return i;
    }

    static int relu(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
        }
        return i;
    }

    static int sigmoid(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            VectorMath.sigmoid(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    static int tanh(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            VectorMath.tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    static int exp(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            VectorMath.exp(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    static int softplus(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            VectorMath.softplus(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    static int leakyRelu(float alpha, float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        return i;
    }

    static int elu(float outer, float inner, float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector neg = VectorMath.expm1NonPositive(v).mul(inner);
            neg.blend(v.mul(outer), v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        return i;
    }

    static int softsign(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.div(v.abs().add(1f)).intoArray(y, i);
        }
        return i;
    }

    static int step(float[] x, float[] y, int i, int end) {
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            // NaN fails '> 0' like a negative number would: put it back.
            FloatVector.zero(S).blend(FloatVector.broadcast(S, 1f), v.compare(VectorOperators.GT, 0f))
                    .blend(v, v.test(VectorOperators.IS_NAN)).intoArray(y, i);
        }
        return i;
    }
}
