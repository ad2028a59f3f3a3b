package dev.myelin.spark;

import org.apache.spark.sql.SparkSession;

/** A local-mode session as the tests and benchmarks need it: loopback networking, no UI, warnings only. */
final class LocalSpark {

    private LocalSpark() {
    }

    /** A session on {@code master}, with {@code extra} settings applied (key, value, key, value, ...). */
    static SparkSession start(String master, String app, String... extra) {
        SparkSession.Builder b = SparkSession.builder().master(master).appName(app)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            b.config(extra[i], extra[i + 1]);
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
