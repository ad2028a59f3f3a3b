package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatasetsTest {

    @Test
    void irisIsTheClassic150RowTable() {
        Dataset iris = Datasets.iris();
        assertEquals(150, iris.size());
        assertEquals(4, iris.featureCount());
        assertEquals(Datasets.IRIS_CLASSES, iris.classNames());
        int[] counts = new int[3];
        for (int c : iris.classLabels()) {
            counts[c]++;
        }
        assertArrayEquals(new int[] {50, 50, 50}, counts);

        // Well-known rows of the UCI file: the first flower, the first versicolor, the last virginica.
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, iris.features().row(0));
        assertArrayEquals(new float[] {7.0f, 3.2f, 4.7f, 1.4f}, iris.features().row(50));
        assertArrayEquals(new float[] {6.3f, 3.3f, 6.0f, 2.5f}, iris.features().row(100));
        assertArrayEquals(new float[] {5.9f, 3.0f, 5.1f, 1.8f}, iris.features().row(149));
        assertEquals(0, iris.classLabels()[49]);
        assertEquals(1, iris.classLabels()[50]);
        assertEquals(2, iris.classLabels()[100]);

        // Column sums of the UCI file (876.5, 458.1, 563.8, 179.8 cm) and the extremes of petal length.
        double[] sums = new double[4];
        float minPetal = Float.MAX_VALUE;
        float maxPetal = 0;
        for (int r = 0; r < 150; r++) {
            for (int c = 0; c < 4; c++) {
                sums[c] += iris.features().get(r, c);
            }
            minPetal = Math.min(minPetal, iris.features().get(r, 2));
            maxPetal = Math.max(maxPetal, iris.features().get(r, 2));
        }
        assertArrayEquals(new double[] {876.5, 458.1, 563.8, 179.8}, sums, 1e-3);
        assertEquals(1.0f, minPetal);
        assertEquals(6.9f, maxPetal);
    }
}
