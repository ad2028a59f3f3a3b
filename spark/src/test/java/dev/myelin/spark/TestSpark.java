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
            session = kryo()
                    ? LocalSpark.start("local[2,2]", "myelin-spark-tests", "spark.sql.adaptive.enabled", "false",
                            "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
                            "spark.kryo.registrationRequired", "true")
                    : LocalSpark.start("local[2,2]", "myelin-spark-tests", "spark.sql.adaptive.enabled", "false");
        }
        return session;
    }

    static boolean kryo() {
        return "kryo".equals(System.getProperty("myelin.test.serializer"));
    }
}
