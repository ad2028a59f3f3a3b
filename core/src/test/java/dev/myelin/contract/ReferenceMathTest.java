package dev.myelin.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.CounterRandom;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.UpdateRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks the reference itself on values worked out by hand, so the suite does not trust it blindly. */
class ReferenceMathTest {

    private static final double TOL = 1e-12;

    @Test
    void gemmWithTransposesAlphaAndBeta() {
        double[] a = {1, 2, 3, 4, 5, 6}; // [2 x 3]
        double[] b = {7, 8, 9, 10, 11, 12}; // [3 x 2]
        double[] c = {1, 1, 1, 1};
        // a*b = [[58, 64], [139, 154]]
        assertArrayEquals(new double[] {58, 64, 139, 154}, ReferenceMath.gemm(false, false, 1, a, 2, 3, b, 3, 2, 0, null), TOL);
        assertArrayEquals(new double[] {2 * 58 - 1, 2 * 64 - 1, 2 * 139 - 1, 2 * 154 - 1},
                ReferenceMath.gemm(false, false, 2, a, 2, 3, b, 3, 2, -1, c), TOL);
        // a^T (a as [3 x 2] read transposed = [[1,3,5],[2,4,6]]) times b [3 x 2]
        double[] at = {1, 2, 3, 4, 5, 6}; // [3 x 2]: op(at) = [[1,3,5],[2,4,6]]
        assertArrayEquals(new double[] {1 * 7 + 3 * 9 + 5 * 11, 1 * 8 + 3 * 10 + 5 * 12, 2 * 7 + 4 * 9 + 6 * 11,
                2 * 8 + 4 * 10 + 6 * 12}, ReferenceMath.gemm(true, false, 1, at, 3, 2, b, 3, 2, 0, null), TOL);
        // a * b^T with b [2 x 3] = [[7,8,9],[10,11,12]]
        assertArrayEquals(new double[] {1 * 7 + 2 * 8 + 3 * 9, 1 * 10 + 2 * 11 + 3 * 12, 4 * 7 + 5 * 8 + 6 * 9,
                4 * 10 + 5 * 11 + 6 * 12}, ReferenceMath.gemm(false, true, 1, a, 2, 3, b, 2, 3, 0, null), TOL);
        // beta == 0: the NaN in c is not read.
        assertArrayEquals(new double[] {6}, ReferenceMath.gemm(true, true, 1, new double[] {2}, 1, 1, new double[] {3}, 1, 1, 0,
                        new double[] {Double.NaN}), TOL);
    }

    @Test
    void activationsAtKnownPoints() {
        assertEquals(0.5, ReferenceMath.activation(Activation.SIGMOID, 0, 0), TOL);
        assertEquals(0, ReferenceMath.activation(Activation.SIGMOID, 0, -1e4), TOL);
        assertEquals(1, ReferenceMath.activation(Activation.TANH, 0, 1e4), TOL);
        assertEquals(Math.log(2), ReferenceMath.activation(Activation.SOFTPLUS, 0, 0), TOL);
        assertEquals(1e4, ReferenceMath.activation(Activation.SOFTPLUS, 0, 1e4), TOL);
        assertEquals(-0.5, ReferenceMath.activation(Activation.ELU, 0.5, -1e4), TOL);
        assertEquals(-Activation.SELU_SCALE * Activation.SELU_ALPHA, ReferenceMath.activation(Activation.SELU, 0, -1e4), TOL);
        assertEquals(-0.6, ReferenceMath.activation(Activation.LEAKY_RELU, 0.2, -3), TOL);
        assertEquals(0.75, ReferenceMath.activation(Activation.SOFTSIGN, 0, 3), TOL);
        assertEquals(1, ReferenceMath.activation(Activation.STEP, 0, 0.1), TOL);
        assertEquals(0, ReferenceMath.activation(Activation.STEP, 0, 0), TOL);
        assertEquals(Double.POSITIVE_INFINITY, ReferenceMath.activation(Activation.EXPONENTIAL, 0, 1e4));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativeFromOutputMatchesFiniteDifference(Activation f) {
        org.junit.jupiter.api.Assumptions.assumeTrue(f.derivableFromOutput(), f + ": see KerasReferenceTest");
        double alpha = f == Activation.LEAKY_RELU ? 0.3 : f == Activation.ELU ? 0.7 : 0;
        for (double x : new double[] {-2.5, -0.7, 0.4, 1.9}) {
            double h = 1e-6;
            double numeric = (ReferenceMath.activation(f, alpha, x + h) - ReferenceMath.activation(f, alpha, x - h)) / (2 * h);
            double fromY = ReferenceMath.activationDerivative(f, alpha, ReferenceMath.activation(f, alpha, x));
            assertEquals(numeric, fromY, 1e-6 * Math.max(1, Math.abs(numeric)), f + " at " + x);
        }
    }

    @Test
    void softmaxAndReductions() {
        double[] y = ReferenceMath.softmax(new double[] {1e4, 1e4, -1e4, 0}, 2, 2);
        assertArrayEquals(new double[] {0.5, 0.5, 0, 1}, y, TOL);
        double[] x = {1, -2, 3, -4, 5, -6}; // [2 x 3]
        assertArrayEquals(new double[] {2, -5}, ReferenceMath.reduce(Reduction.SUM, Axis.PER_ROW, x, 2, 3), TOL);
        assertArrayEquals(new double[] {-1.5, 1.5, -1.5}, ReferenceMath.reduce(Reduction.MEAN, Axis.PER_COLUMN, x, 2, 3), TOL);
        assertArrayEquals(new double[] {5}, ReferenceMath.reduce(Reduction.MAX, Axis.ALL, x, 2, 3), TOL);
        assertArrayEquals(new double[] {-6}, ReferenceMath.reduce(Reduction.MIN, Axis.ALL, x, 2, 3), TOL);
        assertArrayEquals(new double[] {21}, ReferenceMath.reduce(Reduction.SUM_ABS, Axis.ALL, x, 2, 3), TOL);
        assertArrayEquals(new double[] {1 + 16, 4 + 25, 9 + 36},
                ReferenceMath.reduce(Reduction.SUM_SQUARES, Axis.PER_COLUMN, x, 2, 3), TOL);
        assertArrayEquals(new double[] {2, 1}, ReferenceMath.argmax(new double[] {1, 2, 3, 7, 9, 9}, 2, 3), TOL);
    }

    @Test
    void binaryBroadcasts() {
        double[] a = {1, 2, 3, 4, 5, 6}; // [2 x 3]
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36},
                ReferenceMath.binary(BinaryOp.ADD, a, 2, 3, new double[] {10, 20, 30}, 1, 3), TOL);
        assertArrayEquals(new double[] {10, 20, 30, 80, 100, 120},
                ReferenceMath.binary(BinaryOp.MUL, a, 2, 3, new double[] {10, 20}, 2, 1), TOL);
        assertArrayEquals(new double[] {0, 0, 1, 1, 1, 1},
                ReferenceMath.binary(BinaryOp.GREATER, a, 2, 3, new double[] {2.5}, 1, 1), TOL);
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0},
                ReferenceMath.binary(BinaryOp.EQUAL, a, 2, 3, new double[] {3}, 1, 1), TOL);
    }

    @Test
    void randomAndDropoutFollowCounterRandom() {
        double[] u = ReferenceMath.randomFill(Distribution.UNIFORM, 0, 1, 42, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(CounterRandom.uniform(42, i), u[i], 0);
            assertEquals(CounterRandom.normal(42, i), ReferenceMath.normal(42, i), 1e-6);
        }
        double[] y = ReferenceMath.dropout(0.5f, 7, new double[] {1, 1, 1, 1, 1, 1, 1, 1});
        for (int i = 0; i < y.length; i++) {
            assertEquals(CounterRandom.uniform(7, i) >= 0.5f ? 2 : 0, y[i], 0);
        }
    }

    @Test
    void lossesAtKnownPoints() {
        assertEquals(0.25, ReferenceMath.elementLoss(ElementLoss.MSE, 0, 1.5, 1), TOL);
        assertEquals(-1, ReferenceMath.elementLossGradient(ElementLoss.MAE, 0, 0.5, 1), TOL);
        assertEquals(50, ReferenceMath.elementLoss(ElementLoss.MAPE, 0, 1, 2), TOL);
        assertEquals(0.5, ReferenceMath.elementLoss(ElementLoss.HINGE, 0, 0.5, 1), TOL);
        assertEquals(-2 * 0.5 * -1, ReferenceMath.elementLossGradient(ElementLoss.SQUARED_HINGE, 0, -0.5, -1), TOL);
        assertEquals(2 * 3 - 2, ReferenceMath.elementLoss(ElementLoss.HUBER, 2, 4, 1), TOL);
        assertEquals(2, ReferenceMath.elementLossGradient(ElementLoss.HUBER, 2, 4, 1), TOL);
        assertEquals(-Math.log(0.25), ReferenceMath.elementLoss(ElementLoss.BINARY_CROSSENTROPY, 0, 0.75, 0), TOL);
        assertEquals(0, ReferenceMath.elementLossGradient(ElementLoss.BINARY_CROSSENTROPY, 0, 1, 0), TOL);
        assertEquals(-Math.log(ElementLoss.EPS), ReferenceMath.elementLoss(ElementLoss.CATEGORICAL_CROSSENTROPY, 0, 0, 1), 1e-6);
        ReferenceMath.LogitsResult exact = ReferenceMath.crossEntropyWithLogits(LogitsLoss.SIGMOID, false, 2,
                new double[] {1e4, -1e4}, new double[] {0, 0}, 1, 2);
        assertArrayEquals(new double[] {2e4, 0}, exact.loss(), 1e-9);
        assertArrayEquals(new double[] {2, 0}, exact.grad(), 1e-9);
        ReferenceMath.LogitsResult soft = ReferenceMath.crossEntropyWithLogits(LogitsLoss.SOFTMAX, false, 1,
                new double[] {0, 0}, new double[] {1, 0}, 1, 2);
        assertArrayEquals(new double[] {Math.log(2), 0}, soft.loss(), TOL);
        assertArrayEquals(new double[] {-0.5, 0.5}, soft.grad(), TOL);
    }

    @Test
    void optimizerStepsAsWrittenInUpdateRule() {
        // Adam, one step from zero state: m = 0.1 g, v = 0.001 g^2, w -= alpha m / (sqrt(v) + eps).
        double[] w = {1};
        double[] m = {0};
        double[] v = {0};
        ReferenceMath.optimizerUpdate(UpdateRule.ADAM, new double[] {0.01, 0.9, 0.999, 1e-7}, 0, 0, w,
                new double[] {0.5}, m, v);
        assertEquals(0.05, m[0], TOL);
        assertEquals(0.00025, v[0], TOL);
        assertEquals(1 - 0.01 * 0.05 / (Math.sqrt(0.00025) + 1e-7), w[0], TOL);
        // SGD with both regularizers: g = 0.5 + 0.1 sign(-2) + 2 * 0.01 * -2 = 0.36.
        double[] w2 = {-2};
        ReferenceMath.optimizerUpdate(UpdateRule.SGD, new double[] {0.1}, 0.1, 0.01, w2, new double[] {0.5});
        assertEquals(-2 - 0.1 * 0.36, w2[0], TOL);
        // Nesterov: m = 0.9 * 1 - 0.1 * 1 = 0.8; w += 0.9 * 0.8 - 0.1.
        double[] w3 = {0};
        double[] m3 = {1};
        ReferenceMath.optimizerUpdate(UpdateRule.NESTEROV, new double[] {0.1, 0.9}, 0, 0, w3, new double[] {1}, m3);
        assertEquals(0.8, m3[0], TOL);
        assertEquals(0.62, w3[0], TOL);
    }
}
