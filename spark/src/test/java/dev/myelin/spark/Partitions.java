package dev.myelin.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Test data in partitions of chosen sizes (empty ones included), in row order. */
final class Partitions {

    private Partitions() {
    }

    static JavaRDD<Row> uneven(SparkSession s, List<Row> rows, int... sizes) {
        int total = 0;
        for (int n : sizes) {
            total += n;
        }
        if (total != rows.size()) {
            throw new IllegalArgumentException("sizes add up to " + total + ", rows: " + rows.size());
        }
        int[] starts = new int[sizes.length + 1];
        for (int p = 0; p < sizes.length; p++) {
            starts[p + 1] = starts[p] + sizes[p];
        }
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < sizes.length; p++) {
            ids.add(p);
        }
        List<Row> all = List.copyOf(rows);
        return JavaSparkContext.fromSparkContext(s.sparkContext()).parallelize(ids, sizes.length)
                .flatMap(p -> all.subList(starts[p], starts[p + 1]).iterator());
    }
}
