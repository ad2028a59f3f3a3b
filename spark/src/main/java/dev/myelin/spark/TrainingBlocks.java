package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The training data as one persisted {@link Block} per partition. Rows are numbered by
 * {@code zipWithIndex} over the data's stored order (stable as long as the input is: read from files, or
 * partitioned by a seeded or key-based operation, never an unseeded {@code repartition()}), and the blocks
 * are persisted ({@code MEMORY_AND_DISK_SER}) so that every step, and any retried task, reads the same rows.
 */
final class TrainingBlocks implements AutoCloseable {

    private final JavaRDD<byte[]> blocks;
    private final long[] partitionRows;

    private TrainingBlocks(JavaRDD<byte[]> blocks, long[] partitionRows) {
        this.blocks = blocks;
        this.partitionRows = partitionRows;
    }

    /** Packs {@code data}'s features and labels (checked against {@code spec}) and persists the blocks. */
    static TrainingBlocks pack(Dataset<Row> data, String featuresCol, String labelCol, ModelSpec spec) {
        Dataset<Row> df = data.select(featuresCol, labelCol);
        NumericColumn features = NumericColumn.of(df.schema(), "featuresCol", featuresCol, spec.inputs());
        boolean scalarLabel = df.schema().apply(labelCol).dataType() instanceof NumericType;
        NumericColumn labels = NumericColumn.of(df.schema(), "labelCol", labelCol, scalarLabel ? 1 : spec.outputs());
        JavaRDD<byte[]> blocks = df.javaRDD().zipWithIndex()
                .mapPartitionsWithIndex((p, rows) -> List.of(pack(p, rows, features, labels).encode()).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        List<Long> sizes = blocks.map(b -> (long) Block.decode(b).x().rows()).collect();
        return new TrainingBlocks(blocks, sizes.stream().mapToLong(Long::longValue).toArray());
    }

    private static Block pack(int partition, Iterator<Tuple2<Row, Long>> rows, NumericColumn features,
            NumericColumn labels) {
        FloatRows x = new FloatRows(features.width());
        FloatRows y = new FloatRows(labels.width());
        long first = -1;
        while (rows.hasNext()) {
            Tuple2<Row, Long> r = rows.next();
            if (first < 0) {
                first = r._2();
            }
            features.read(r._1(), x.next(), x.offset());
            labels.read(r._1(), y.next(), y.offset());
        }
        return new Block(partition, first, x.matrix(), y.matrix());
    }

    /** The persisted blocks, one per partition. */
    JavaRDD<byte[]> rdd() {
        return blocks;
    }

    /** The rows of each partition. */
    long[] partitionRows() {
        return partitionRows.clone();
    }

    /** Drops the persisted blocks. */
    @Override
    public void close() {
        blocks.unpersist(false);
    }

    /** A growing row-major float array. */
    private static final class FloatRows {
        private final int width;
        private float[] data = new float[1024];
        private int rows;

        FloatRows(int width) {
            this.width = width;
        }

        /** Makes room for one more row and returns the array to write it into at {@link #offset()}. */
        float[] next() {
            rows++;
            if (rows * (long) width > data.length) {
                data = java.util.Arrays.copyOf(data, Math.toIntExact(Math.max(2L * data.length, rows * (long) width)));
            }
            return data;
        }

        /** Where the newest row starts. */
        int offset() {
            return (rows - 1) * width;
        }

        FloatMatrix matrix() {
            return new FloatMatrix(rows, width, java.util.Arrays.copyOf(data, rows * width));
        }
    }
}
