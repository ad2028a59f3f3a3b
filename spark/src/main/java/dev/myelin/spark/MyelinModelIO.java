package dev.myelin.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * The saved form of a {@link MyelinModel}: Spark's {@code metadata/} (class, uid, params), then
 * {@code data/spec.json} (the {@link ModelSpec}) and {@code data/weights.safetensors} (readable by numpy,
 * PyTorch and {@code SafeTensors.read}).
 */
final class MyelinModelIO {

    static final String SPEC = "/data/spec.json";
    static final String WEIGHTS = "/data/weights.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MyelinModelIO() {
    }

    /** The spec as JSON. */
    static String toJson(ModelSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the model spec as JSON: " + e.getMessage(), e);
        }
    }

    /** The spec of a JSON text written by {@link #toJson}. */
    static ModelSpec fromJson(String json, String source) {
        try {
            return JSON.readValue(json, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not a Myelin model spec: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes a model's metadata, spec and weights under the writer's path. */
    static final class Writer extends MLWriter {
        private final MyelinModel model;

        Writer(MyelinModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
            HadoopFiles.write(conf, path + SPEC, toJson(model.blob().spec()).getBytes(StandardCharsets.UTF_8));
            HadoopFiles.write(conf, path + WEIGHTS, model.blob().safetensors());
        }
    }

    /** Reads what {@link Writer} wrote; the weights are checked against the spec before the model is returned. */
    static final class Reader extends MLReader<MyelinModel> {
        @Override
        public MyelinModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    MyelinModel.class.getName());
            Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
            ModelSpec spec = fromJson(new String(HadoopFiles.read(conf, path + SPEC), StandardCharsets.UTF_8),
                    path + SPEC);
            ModelBlob blob = new ModelBlob(spec, HadoopFiles.read(conf, path + WEIGHTS));
            blob.validate(path + WEIGHTS);
            MyelinModel model = new MyelinModel(metadata.uid(), blob);
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
