package dev.myelin.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** The session really uses the serializer the run asks for, and Kryo really refuses unregistered classes. */
class SerializerTest {

    /** Not registered with Kryo anywhere. */
    record Unregistered(int value) implements java.io.Serializable {
    }

    @Test
    void theSessionUsesTheRequestedSerializer() {
        TestSpark.session();
        SerializerInstance s = SparkEnv.get().serializer().newInstance();
        if (TestSpark.kryo()) {
            assertEquals(KryoSerializer.class, SparkEnv.get().serializer().getClass());
            assertThrows(IllegalArgumentException.class,
                    () -> s.serialize(new Unregistered(1), ClassTag$.MODULE$.apply(Unregistered.class)));
        } else {
            assertEquals(JavaSerializer.class, SparkEnv.get().serializer().getClass());
        }
    }
}
