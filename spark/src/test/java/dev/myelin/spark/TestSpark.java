package dev.myelin.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession every test class of this JVM shares (Spark allows one context per JVM, and
 * starting one costs seconds). {@code local[2,2]}: two task threads, and a failed task is tried once more.
 * The system property {@code myelin.test.serializer=kryo} switches the session to Kryo with
 * {@code spark.kryo.registrationRequired=true} (the module's second Surefire run).
 */
final class TestSpark {

    private static SparkSession session;

    private TestSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            SparkSession.Builder b = SparkSession.builder()
                    .master("local[2,2]")
                    .appName("myelin-spark-tests")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.sql.adaptive.enabled", "false");
            if (kryo()) {
                b.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                        .config("spark.kryo.registrationRequired", "true");
            }
            session = b.getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }

    static boolean kryo() {
        return "kryo".equals(System.getProperty("myelin.test.serializer"));
    }
}
