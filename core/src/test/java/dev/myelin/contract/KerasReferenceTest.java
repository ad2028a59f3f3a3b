package dev.myelin.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.spi.Activation;
import dev.myelin.spi.ElementLoss;
import dev.myelin.spi.RowLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks {@link KerasReference} itself: its analytic derivatives against central differences of its own
 * float64 values, and its values against numbers computed outside Java (Python's {@code math.erf} and numpy,
 * from Keras 3's formulas).
 */
class KerasReferenceTest {

    private static final double H = 1e-6;

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationDerivativesMatchCentralDifferences(Activation f) {
        double alpha = 0.3;
        for (double x = -7.05; x < 7; x += 0.1) {
            double numeric = (ReferenceMath.activation(f, alpha, x + H) - ReferenceMath.activation(f, alpha, x - H)) / (2 * H);
            assertEquals(numeric, KerasReference.derivativeFromInput(f, alpha, x), 1e-6 * (1 + Math.abs(numeric)),
                    f + "'(" + x + ")");
        }
    }

    @Test
    void activationValuesMatchPython() {
        // python3: 0.5*x*(1+math.erf(x/math.sqrt(2))), x*math.tanh(math.log1p(math.exp(x))), and the tanh form.
        assertEquals(0.8413447460685429, KerasReference.activation(Activation.GELU, 1), 1e-15);
        assertEquals(-0.010665159638309584, KerasReference.activation(Activation.GELU, -2.65), 1e-15);
        assertEquals(-7.619853024160593e-23, KerasReference.activation(Activation.GELU, -10), 1e-35);
        assertEquals(0.8411919906082768, KerasReference.activation(Activation.GELU_APPROXIMATE, 1), 1e-15);
        assertEquals(0.8650983882673103, KerasReference.activation(Activation.MISH, 1), 1e-15);
        assertEquals(0.7310585786300049, KerasReference.activation(Activation.SILU, 1), 1e-15);
        assertEquals(2.0 / 3, KerasReference.activation(Activation.HARD_SIGMOID, 1), 1e-15);
        assertEquals(-1.0 / 3, KerasReference.activation(Activation.HARD_SILU, -1), 1e-15);
        assertEquals(6, KerasReference.activation(Activation.RELU6, 7.5), 0);
    }

    @ParameterizedTest
    @EnumSource(value = ElementLoss.class, names = {"LOG_COSH", "POISSON", "KL_DIVERGENCE", "BINARY_FOCAL_CROSSENTROPY",
        "BINARY_FOCAL_CROSSENTROPY_BALANCED"})
    void lossGradientsMatchCentralDifferences(ElementLoss kind) {
        for (double p = 0.013; p < 0.99; p += 0.037) {
            for (double t : new double[] {0, 0.3, 1}) {
                double numeric = (KerasReference.elementLoss(kind, 2, 0.25, p + H, t)
                        - KerasReference.elementLoss(kind, 2, 0.25, p - H, t)) / (2 * H);
                assertEquals(numeric, KerasReference.elementLossGradient(kind, 2, 0.25, p, t),
                        1e-5 * (1 + Math.abs(numeric)), kind + " at p=" + p + ", t=" + t);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RowLoss.class)
    void rowLossGradientsMatchCentralDifferences(RowLoss kind) {
        double[] p = {0.3, 0.9, 0.05, 0.4, -0.2, 0.1};
        double[] t = {0, 1, 0, 0.5, 0.25, 1};
        if (kind != RowLoss.COSINE_SIMILARITY) {
            p[4] = 0.2;
        }
        double[] grad = KerasReference.rowLoss(kind, 1, p, t, 2, 3).grad();
        for (int i = 0; i < p.length; i++) {
            double[] up = p.clone();
            double[] down = p.clone();
            up[i] += H;
            down[i] -= H;
            double numeric = (sum(KerasReference.rowLoss(kind, 1, up, t, 2, 3).loss())
                    - sum(KerasReference.rowLoss(kind, 1, down, t, 2, 3).loss())) / (2 * H);
            assertEquals(numeric, grad[i], 1e-6 * (1 + Math.abs(numeric)), kind + " d/dp[" + i + "]");
        }
    }

    @Test
    void lossValuesMatchKerasExamples() {
        // Keras 3's docstring examples (keras/src/losses/losses.py), recomputed with numpy.
        double[] p = {0.05, 0.95, 0, 0.1, 0.8, 0.1};
        double[] t = {0, 1, 0, 0, 0, 1};
        double[] cce = KerasReference.rowLoss(RowLoss.CATEGORICAL_CROSSENTROPY, 1, p, t, 2, 3).loss();
        assertEquals(0.05129329438755058, cce[0] + cce[1] + cce[2], 1e-12);
        assertEquals(2.3025850929940455, cce[3] + cce[4] + cce[5], 1e-12);
        // binary_focal_crossentropy(gamma=2) of [[0, 1], [0, 0]] and [[0.6, 0.4], [0.4, 0.6]]: [0.330, 0.206].
        double f0 = (KerasReference.elementLoss(ElementLoss.BINARY_FOCAL_CROSSENTROPY, 2, 0, 0.6, 0)
                + KerasReference.elementLoss(ElementLoss.BINARY_FOCAL_CROSSENTROPY, 2, 0, 0.4, 1)) / 2;
        assertEquals(0.3298646634746958, f0, 1e-12);
        // log_cosh of [[0, 1], [0, 0]] and [[1, 1], [0, 0]]: 0.108 over the batch.
        double lc = KerasReference.elementLoss(ElementLoss.LOG_COSH, 0, 0, 1, 0) / 4;
        assertEquals(0.1084452076207568, lc, 1e-12);
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
