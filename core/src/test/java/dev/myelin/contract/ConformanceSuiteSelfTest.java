package dev.myelin.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.contract.DefectiveBackend.Defect;
import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.GradientClip;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Shape;
import dev.myelin.spi.UpdateRule;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;

/**
 * The conformance suite must fail a backend with a defect: each {@link Defect} is run through the
 * check meant to catch it, which has to report an assertion failure (the reference backend, which
 * passes every check, is {@link ReferenceBackendConformanceTest}).
 */
class ConformanceSuiteSelfTest {

    /** The suite on one defective backend; driven by hand, one check at a time. */
    private static final class SuiteOn extends BackendContract {
        private final Defect defect;

        SuiteOn(Defect defect) {
            this.defect = defect;
        }

        @Override
        protected Backend createBackend() {
            return new DefectiveBackend(defect);
        }
    }

    private static Executable checkFor(Defect d, SuiteOn s) {
        return switch (d) {
            case LAST_ELEMENT_UNWRITTEN -> () -> s.activationMatchesReference(Activation.RELU);
            case GEMM_READS_C_WHEN_BETA_IS_ZERO -> () -> s.gemmMatchesReference(true, false, 7, 33, 127);
            case GEMM_IN_TF32 -> () -> s.gemmMatchesReference(false, true, 97, 131, 259);
            case SOFTPLUS_OVERFLOWS -> () -> s.activationAtExtremeInputs(Activation.SOFTPLUS);
            case TANH_OVERFLOWS -> () -> s.activationAtExtremeInputs(Activation.TANH);
            case SOFTMAX_WITHOUT_MAX -> s::softmaxAtExtremeInputs;
            case ELU_BACKWARD_AS_LEAKY_RELU -> () -> s.activationBackwardMatchesReference(Activation.ELU);
            case ADAM_EPSILON_INSIDE_SQRT -> () -> s.optimizerUpdateMatchesReference(UpdateRule.ADAM, 1e-8f, 0f, 0f);
            case L2_NOT_DOUBLED -> () -> s.optimizerUpdateMatchesReference(UpdateRule.SGD, 0.5f, 1e-3f, 1e-2f);
            case UNIFORM_FROM_OTHER_BITS -> () -> s.randomFillUniformIsCounterRandomBitForBit(42L);
            case DROPOUT_DROPS_TIES -> s::dropoutKeepsAnElementWhoseUniformEqualsTheRate;
            case ARGMAX_LAST_OF_TIES -> s::argmaxMatchesReference;
            case COLUMN_BROADCAST_AS_ROW -> () -> s.binaryMatchesReference(BinaryOp.ADD);
            case EXACT_SIGMOID_LOSS_FROM_PROBABILITIES -> () -> s.crossEntropyWithLogitsAtExtremeInputs(LogitsLoss.SIGMOID, false);
            case BOUND_TO_CREATING_THREAD -> s::worksFromAThreadOtherThanTheOneThatCreatedIt;
            case RELU_SWALLOWS_NAN -> () -> s.activationPropagatesNaNAndFollowsIeeeOnInfinities(Activation.RELU);
            case MAX_REDUCTION_SKIPS_NAN -> () -> s.reductionLetsNaNWinMaxAndMinAndAddsAsIeee(Reduction.MAX);
            case ARGMAX_SKIPS_NAN -> s::argmaxIsTheFirstNaNOfARow;
            case HINGE_ZERO_TIMES_LOSS ->
                () -> s.rowLossIsNaNForANaNInTheRow(dev.myelin.spi.RowLoss.CATEGORICAL_HINGE);
            case CLIP_TURNS_NAN_INTO_LOSS -> () -> s.softmaxCrossEntropyIsNaNForANaNRowNotClipped(true);
            case CLIP_BEFORE_REGULARIZER -> () -> s.optimizerUpdateClipsAndDecaysAsReference(UpdateRule.SGD,
                    GradientClip.VALUE, 0.3f, 0f);
            case UNBIASED_BATCH_VARIANCE -> () -> s.momentsMatchReference(Axis.PER_COLUMN, Shape.of(7, 33));
            case NORMALIZE_BACKWARD_IGNORES_STATISTICS -> () -> s.normalizeBackwardMatchesReference(Axis.PER_COLUMN,
                    true, true, true, false);
        };
    }

    @ParameterizedTest
    @EnumSource(Defect.class)
    void suiteCatchesDefect(Defect defect) {
        SuiteOn suite = new SuiteOn(defect);
        suite.openBackend();
        try {
            suite.openScope();
            try {
                assertThrows(AssertionFailedError.class, checkFor(defect, suite),
                        "the conformance suite passed a backend with defect " + defect);
            } finally {
                suite.closeScope();
            }
        } finally {
            suite.closeBackend();
        }
    }
}
