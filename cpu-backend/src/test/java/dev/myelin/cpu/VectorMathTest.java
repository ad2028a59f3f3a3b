package dev.myelin.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/** Accuracy sweeps of the vector exp/log/tanh/sigmoid against float64, over the ranges the ops see. */
class VectorMathTest {

    static final double TOLERANCE = 2e-7;

    @BeforeAll
    static void needsVectorApi() {
        Assumptions.assumeTrue(VectorSupport.available(), "the Vector API module is not in this JVM");
    }

    /** Max relative error of {@code f} against {@code ref} on {@code count} points spread over {@code [lo, hi]}. */
    static double maxRelativeError(UnaryOperator<FloatVector> f, DoubleUnaryOperator ref, double lo, double hi,
            int count) {
        var s = FloatVector.SPECIES_PREFERRED;
        float[] in = new float[s.length()];
        float[] out = new float[s.length()];
        double worst = 0;
        for (int i = 0; i < count; i += in.length) {
            for (int j = 0; j < in.length; j++) {
                in[j] = (float) (lo + (hi - lo) * (i + j) / (count - 1));
            }
            f.apply(FloatVector.fromArray(s, in, 0)).intoArray(out, 0);
            for (int j = 0; j < in.length; j++) {
                double r = ref.applyAsDouble(in[j]);
                if (Math.abs(r) < Float.MIN_NORMAL) {
                    continue;          // subnormal results: relative error is meaningless there
                }
                double e = Math.abs(out[j] - r) / Math.abs(r);
                assertTrue(!Double.isNaN(e), "NaN at x=" + in[j] + ": got " + out[j] + ", expected " + r);
                worst = Math.max(worst, e);
            }
        }
        return worst;
    }

    static void check(String name, UnaryOperator<FloatVector> f, DoubleUnaryOperator ref, double lo, double hi) {
        check(name, f, ref, lo, hi, TOLERANCE);
    }

    static void check(String name, UnaryOperator<FloatVector> f, DoubleUnaryOperator ref, double lo, double hi,
            double tolerance) {
        double e = maxRelativeError(f, ref, lo, hi, 2_000_000);
        assertTrue(e <= tolerance, name + " on [" + lo + ", " + hi + "]: max relative error " + e);
    }

    @Test
    void exp() {
        check("exp", VectorMath::exp, Math::exp, -87, 88.7);
        check("exp near 0", VectorMath::exp, Math::exp, -1e-3, 1e-3);
    }

    @Test
    void expNonPositive() {
        check("exp of x <= 0", VectorMath::expNonPositive, Math::exp, -87.3, 0);
        check("exp of x <= 0 near 0", VectorMath::expNonPositive, Math::exp, -1e-3, 0);
        // Below the clamp the result is flushed to zero, never left at e^-87.3.
        float[] cases = {-87.4f, -100f, -1e4f, Float.NEGATIVE_INFINITY, Float.NaN, 0f, -0f, -87.3f};
        var s = FloatVector.SPECIES_PREFERRED;
        float[] in = new float[s.length()];
        float[] out = new float[s.length()];
        for (float x : cases) {
            java.util.Arrays.fill(in, x);
            VectorMath.expNonPositive(FloatVector.fromArray(s, in, 0)).intoArray(out, 0);
            float want = Float.isNaN(x) ? Float.NaN : x < -87.3f ? 0f : (float) Math.exp(x);
            assertTrue(Float.compare(out[0], want) == 0 || Math.abs(out[0] - want) <= TOLERANCE * want,
                    "expNonPositive(" + x + ") = " + out[0] + ", expected " + want);
        }
    }

    @Test
    void log() {
        check("log", VectorMath::log, Math::log, 1e-30, 10);
        check("log", VectorMath::log, Math::log, 0.5, 2);
        check("log", VectorMath::log, Math::log, 10, 1e30);
    }

    @Test
    void tanh() {
        check("tanh", VectorMath::tanh, Math::tanh, -12, 12);
        check("tanh near 0", VectorMath::tanh, Math::tanh, -1e-3, 1e-3);
    }

    @Test
    void sigmoid() {
        check("sigmoid", VectorMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), -80, 80);
    }

    @Test
    void softplus() {
        // A composite of exp, log1p and an add: three roundings, so a looser bound than the primitives.
        check("softplus", VectorMath::softplus, x -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), -80, 80,
                4e-7);
    }

    @Test
    void expm1NonPositive() {
        check("expm1", VectorMath::expm1NonPositive, Math::expm1, -30, 0);
    }

    @Test
    void specialValues() {
        var s = FloatVector.SPECIES_PREFERRED;
        float[] out = new float[s.length()];
        VectorMath.exp(FloatVector.broadcast(s, 1e4f)).intoArray(out, 0);
        assertTrue(out[0] == Float.POSITIVE_INFINITY, "exp(1e4) = " + out[0]);
        VectorMath.exp(FloatVector.broadcast(s, -1e4f)).intoArray(out, 0);
        assertTrue(out[0] == 0f, "exp(-1e4) = " + out[0]);
        VectorMath.sigmoid(FloatVector.broadcast(s, -1e4f)).intoArray(out, 0);
        assertTrue(out[0] == 0f, "sigmoid(-1e4) = " + out[0]);
        VectorMath.sigmoid(FloatVector.broadcast(s, 1e4f)).intoArray(out, 0);
        assertTrue(out[0] == 1f, "sigmoid(1e4) = " + out[0]);
        VectorMath.tanh(FloatVector.broadcast(s, -1e4f)).intoArray(out, 0);
        assertTrue(out[0] == -1f, "tanh(-1e4) = " + out[0]);
        VectorMath.log(FloatVector.broadcast(s, 0f)).intoArray(out, 0);
        assertTrue(out[0] == Float.NEGATIVE_INFINITY, "log(0) = " + out[0]);
        VectorMath.log(FloatVector.broadcast(s, -1f)).intoArray(out, 0);
        assertTrue(Float.isNaN(out[0]), "log(-1) = " + out[0]);
        VectorMath.exp(FloatVector.broadcast(s, Float.NaN)).intoArray(out, 0);
        assertTrue(Float.isNaN(out[0]), "exp(NaN) = " + out[0]);
    }
}
