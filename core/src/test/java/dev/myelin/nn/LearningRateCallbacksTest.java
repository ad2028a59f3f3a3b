package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.schedules.ExponentialDecay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LearningRateScheduler and ReduceLROnPlateau: the new rate reaches the update kernels; schedules are refused. */
class LearningRateCallbacksTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private static Sequential net(ReferenceBackend b, float lr) {
        Sequential m = Sequential.of(b, new Dense(4, "tanh"), new Dense(3, "softmax")).seed(5);
        m.input(5).compile(new SGD(lr), Loss.sparseCategoricalCrossentropy(), "accuracy");
        return m;
    }

    private static FitOptions fullBatch(int epochs) {
        return new FitOptions().epochs(epochs).batchSize(40).shuffle(false).verbose(0);
    }

    @Test
    void theScheduledRateIsTheRateOfTheNextUpdate() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential scheduled = net(backend, 0.1f); Sequential byHand = net(backend, 0.1f)) {
            LearningRateScheduler quarter = new LearningRateScheduler((epoch, lr) -> epoch == 0 ? lr : lr / 4);
            History h = scheduled.fit(d[0], d[1], fullBatch(2).callbacks(quarter));
            assertEquals(List.of((double) 0.1f, (double) 0.025f), h.get("learning_rate"));
            // The same two full-batch steps by hand: epoch 0 at 0.1, then one update at 0.025.
            byHand.fit(d[0], d[1], fullBatch(1));
            Gradients g = byHand.computeGradients(d[0], d[1]);
            byHand.optimizer().learningRate(0.025f);
            byHand.applyGradients(g);
            assertEquals(byHand.namedWeights(), scheduled.namedWeights(), "the fused update used the new rate");
            try (Sequential stale = net(backend, 0.1f)) {
                stale.fit(d[0], d[1], fullBatch(2));
                assertNotEquals(stale.namedWeights(), scheduled.namedWeights());
            }
        }
    }

    @Test
    void reduceOnPlateauFollowsKerasPatienceCooldownAndFloor() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = net(backend, 0.1f)) {
            // The loss goes down every epoch: with min_delta 10 no epoch counts as an improvement but the first.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ReduceLROnPlateau plateau = new ReduceLROnPlateau("loss", 0.5, 2, "auto", 10, 1, 0.02,
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            History h = m.fit(d[0], d[1], fullBatch(9).callbacks(plateau));
            // Keras's order: epoch 0 sets the best; wait 1 at epoch 1, 2 at epoch 2 -> 0.05. Epoch 3 ends the
            // cooldown and counts wait 1 in the same call; epoch 4 -> 0.025; epoch 5 wait 1; epoch 6 -> 0.0125,
            // floored at min_lr 0.02; epoch 8 waits 2 but the rate is not above min_lr: no change.
            List<Double> rates = h.get("learning_rate");
            double r0 = 0.1f;
            double r1 = (float) (r0 * 0.5);
            double r2 = (float) (r1 * 0.5);
            double r3 = (float) 0.02;
            assertEquals(List.of(r0, r0, r0, r1, r1, r2, r2, r3, r3), rates, "logged before each change, as Keras");
            assertEquals(r3, m.optimizer().learningRate(), 0.0);
            String log = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("Epoch 3: ReduceLROnPlateau reducing learning rate to 0.05"), log);
        }
    }

    @Test
    void aScheduledOptimizerIsRefusedBeforeTraining() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = Sequential.of(backend, new Dense(3, "softmax")).seed(5)) {
            m.input(5).compile(new SGD().learningRate(new ExponentialDecay(0.1, 10, 0.9)),
                    Loss.sparseCategoricalCrossentropy());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.fit(d[0], d[1], fullBatch(2).callbacks(new ReduceLROnPlateau())));
            assertTrue(e.getMessage().contains("ReduceLROnPlateau") && e.getMessage().contains("schedule"),
                    e.getMessage());
            assertThrows(IllegalStateException.class, () -> m.fit(d[0], d[1],
                    fullBatch(2).callbacks(new LearningRateScheduler((epoch, lr) -> lr))));
            assertEquals(0, m.iterations());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new ReduceLROnPlateau("val_loss", 1.0, 10, "auto", 1e-4, 0, 0, null));
    }

    @Test
    void aScheduleReturningABadRateFailsNamingIt() {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        try (Sequential m = net(backend, 0.1f)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(d[0], d[1],
                    fullBatch(2).callbacks(new LearningRateScheduler((epoch, lr) -> Double.NaN))));
            assertTrue(e.getMessage().contains("LearningRateScheduler"), e.getMessage());
        }
    }
}
