package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.contract.ReferenceBackend;
import dev.myelin.data.FloatMatrix;
import dev.myelin.io.Json;
import dev.myelin.nn.schedules.CosineDecay;
import dev.myelin.nn.schedules.ExponentialDecay;
import dev.myelin.nn.schedules.InverseTimeDecay;
import dev.myelin.nn.schedules.LearningRateSchedule;
import dev.myelin.nn.schedules.PiecewiseConstantDecay;
import dev.myelin.nn.schedules.PolynomialDecay;
import dev.myelin.nn.schedules.ScheduleConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Optimizer configs carry schedules and the BaseOptimizer options under Keras's names, through JSON. */
class OptimizerConfigTest {

    private final ReferenceBackend backend = new ReferenceBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    /** The optimizer rebuilt from its config written to JSON text and parsed back. */
    @SuppressWarnings("unchecked")
    private static Optimizer roundTrip(Optimizer o) throws Exception {
        Map<String, Object> parsed = (Map<String, Object>) Json.parse(Json.write(o.config()), "config");
        return Optimizer.fromConfig(o.name(), parsed);
    }

    @Test
    void everyScheduleRoundTripsWithItsValuesAtEveryStep() throws Exception {
        List<LearningRateSchedule> schedules = List.of(new ExponentialDecay(0.1, 7, 0.5, true),
                new InverseTimeDecay(0.3, 5, 0.25, false), new PiecewiseConstantDecay(new long[] {3, 9},
                        new double[] {0.1, 0.01, 0.001}), new PolynomialDecay(0.2, 11, 0.001, 2.0, true),
                new CosineDecay(0.0, 20, 0.1, 0.05, 4), new CosineDecay(0.05, 20));
        for (LearningRateSchedule s : schedules) {
            Optimizer copy = roundTrip(new SGD(0.01f).learningRate(s));
            assertEquals(s.getClass(), copy.schedule().getClass());
            for (long step = 0; step < 40; step++) {
                assertEquals(s.at(step), copy.schedule().at(step), 0.0, s.getClass().getSimpleName() + " at " + step);
            }
        }
        Map<String, Object> serialized = ScheduleConfig.toConfig(new ExponentialDecay(0.1, 7, 0.5));
        assertEquals("keras.optimizers.schedules", serialized.get("module"));
        assertEquals("ExponentialDecay", serialized.get("class_name"));
        assertNull(ScheduleConfig.toConfig(step -> 0.1), "a lambda has no config");
    }

    @Test
    void optionsRoundTripUnderKerasNames() throws Exception {
        List<Optimizer> all = List.of(new Adam(0.002f).clipnorm(0.5f).weightDecay(0.01f),
                new AdamW(0.001f, 0.02f).globalClipnorm(2f).useEma(true).emaMomentum(0.9f).emaOverwriteFrequency(5),
                new Adam().amsgrad(true).clipvalue(0.25f), new AdamW(0.001f, 0f), new SGD(0.1f, 0.9f, true).useEma(true),
                new RMSprop(0.01f, 0.8f, 0.1f, 1e-6f, true), new Nadam(), new Adamax(), new Adagrad(), new Adadelta());
        for (Optimizer o : all) {
            Optimizer copy = roundTrip(o);
            assertEquals(o.getClass(), copy.getClass());
            assertEquals(o.rule(), copy.rule());
            assertEquals(o.config(), copy.config(), o.toString());
            assertEquals(o.toString(), copy.toString());
            assertNull(o.notStorable(), o.toString());
        }
        Map<String, Object> c = new Adam(0.002f).clipnorm(0.5f).config();
        assertEquals(0.5, c.get("clipnorm"));
        assertTrue(c.containsKey("global_clipnorm") && c.get("global_clipnorm") == null, "unset options are null");
        assertEquals(false, c.get("amsgrad"));
        assertTrue(new SGD().learningRate(step -> 0.1).notStorable().contains("schedule"));
        LearningRateSchedule own = new LearningRateSchedule() {
            @Override
            public double at(long step) {
                return 0.1;
            }

            @Override
            public Map<String, Object> config() {
                return Map.of("rate", 0.1);
            }
        };
        assertTrue(new SGD().learningRate(own).notStorable().contains("cannot be rebuilt"));
    }

    @Test
    void aBadScheduleConfigIsRefusedByName() {
        Map<String, Object> bad = Map.of("learning_rate", Map.of("class_name", "NoSuchDecay", "config", Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.fromConfig("sgd", bad));
        assertTrue(e.getMessage().contains("NoSuchDecay"), e.getMessage());
        Map<String, Object> noSteps = Map.of("learning_rate", Map.of("class_name", "ExponentialDecay", "config",
                Map.of("initial_learning_rate", 0.1, "decay_rate", 0.5)));
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.fromConfig("sgd", noSteps));
        assertTrue(e.getMessage().contains("decay_steps"), e.getMessage());
    }

    @Test
    void aScheduledClippedOptimizerResumesFromAModelFileBitForBit(@TempDir Path dir) throws Exception {
        FloatMatrix[] d = GradientApiTest.data(40, 8);
        Path file = dir.resolve("model.myelin");
        try (Sequential uninterrupted = GradientApiTest.net(backend, scheduled());
                Sequential first = GradientApiTest.net(backend, scheduled())) {
            uninterrupted.fit(d[0], d[1], ModelFileTest.twoEpochs().epochs(4));
            first.fit(d[0], d[1], ModelFileTest.twoEpochs());
            first.save(file);
            try (Sequential resumed = Sequential.load(file, backend)) {
                assertEquals(CosineDecay.class, resumed.optimizer().schedule().getClass());
                resumed.fit(d[0], d[1], ModelFileTest.twoEpochs());
                assertEquals(uninterrupted.namedWeights(), resumed.namedWeights(), "resumed run, bit for bit");
            }
        }
    }

    private static Optimizer scheduled() {
        return new AdamW(1e-2f, 0.01f).globalClipnorm(1f).useEma(true).emaOverwriteFrequency(3)
                .learningRate(new CosineDecay(0.0, 10, 0.1, 0.02, 3));
    }
}
