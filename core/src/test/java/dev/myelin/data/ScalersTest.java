package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScalersTest {

    private static final FloatMatrix TRAIN = FloatMatrix.of(new float[][] {{1, 10, 5}, {2, 20, 5}, {3, 60, 5}, {6, 30, 5}});
    private static final FloatMatrix TEST = FloatMatrix.of(new float[][] {{0, 35, 7}, {4, 10, 5}});

    @Test
    void minMaxMapsTrainingRangeToUnitInterval() {
        MinMaxScaler s = new MinMaxScaler();
        FloatMatrix t = s.fitTransform(TRAIN);
        assertEquals(0f, t.get(0, 0));
        assertEquals(1f, t.get(3, 0));
        assertEquals(0.2f, t.get(1, 0), 1e-6f);
        assertEquals(1f, t.get(2, 1));
        assertEquals(0f, t.get(1, 2), "a constant column maps to the low end");
        FloatMatrix u = s.transform(TEST);
        assertEquals(-0.2f, u.get(0, 0), 1e-6f, "held-out data uses the training range");
        assertEquals(0.5f, u.get(0, 1), 1e-6f);
        assertEquals(2f, u.get(0, 2), 1e-6f);
        assertEquals(TRAIN.get(2, 1), s.inverseTransform(t).get(2, 1), 1e-5f);
        assertEquals(1f, TRAIN.get(0, 0), "input untouched");
    }

    @Test
    void minMaxToACustomRange() {
        FloatMatrix t = new MinMaxScaler(-1, 1).fitTransform(TRAIN);
        assertEquals(-1f, t.get(0, 0));
        assertEquals(1f, t.get(3, 0));
        assertThrows(IllegalArgumentException.class, () -> new MinMaxScaler(1, 1));
    }

    @Test
    void standardGivesZeroMeanUnitVariance() {
        StandardScaler s = new StandardScaler();
        FloatMatrix t = s.fitTransform(TRAIN);
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            double sq = 0;
            for (int r = 0; r < 4; r++) {
                mean += t.get(r, c);
                sq += t.get(r, c) * t.get(r, c);
            }
            assertEquals(0, mean / 4, 1e-6);
            assertEquals(1, sq / 4, 1e-5);
        }
        assertEquals(0f, t.get(0, 2), "a constant column is only centred");
        // mean of column 0 is 3, population std sqrt(3.5)
        assertEquals((float) ((4 - 3) / Math.sqrt(3.5)), s.transform(TEST).get(1, 0), 1e-6f);
        FloatMatrix back = s.inverseTransform(t);
        for (int i = 0; i < TRAIN.data().length; i++) {
            assertEquals(TRAIN.data()[i], back.data()[i], 1e-4f);
        }
    }

    @Test
    void refuseTransformBeforeFitAndWrongShapes() {
        for (Scaler s : new Scaler[] {new MinMaxScaler(), new StandardScaler()}) {
            assertFalse(s.isFitted());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.transform(TRAIN));
            assertTrue(e.getMessage().contains("fit"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> s.inverseTransform(TRAIN));
            s.fit(TRAIN);
            assertTrue(s.isFitted());
            IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> s.transform(FloatMatrix.zeros(2, 4)));
            assertTrue(a.getMessage().contains("[n x 3]") && a.getMessage().contains("[2 x 4]"), a.getMessage());
            FloatMatrix withNaN = FloatMatrix.of(new float[][] {{1, Float.NaN}});
            a = assertThrows(IllegalArgumentException.class, () -> s.fit(withNaN));
            assertTrue(a.getMessage().contains("row 0, column 1"), a.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.fit(FloatMatrix.zeros(0, 3)));
        }
    }

    @Test
    void aFailedFitKeepsThePreviousParameters() {
        for (Scaler s : new Scaler[] {new MinMaxScaler(), new StandardScaler()}) {
            FloatMatrix before = s.fit(TRAIN).transform(TEST);
            FloatMatrix bad = FloatMatrix.of(new float[][] {{1, 2, Float.POSITIVE_INFINITY}});
            assertThrows(IllegalArgumentException.class, () -> s.fit(bad));
            assertEquals(before, s.transform(TEST));
        }
    }

    @Test
    void scalesADatasetKeepingLabels() {
        Dataset d = Dataset.ofClasses(TRAIN, new int[] {0, 1, 1, 0}, 2);
        Dataset scaled = new MinMaxScaler().fit(d.features()).transform(d);
        assertEquals(d.labels(), scaled.labels());
        assertEquals(1f, scaled.features().get(3, 0));
    }
}
