package dev.myelin.examples;

import dev.myelin.Backends;
import dev.myelin.data.DataSplit;
import dev.myelin.data.Datasets;
import dev.myelin.data.StandardScaler;
import dev.myelin.nn.Dense;
import dev.myelin.nn.FitOptions;
import dev.myelin.nn.History;
import dev.myelin.nn.Sequential;
import java.util.Map;

/** README's "A Keras-style model", as a program: a 4-16-3 network learns the iris flowers. */
public final class IrisExample {

    private IrisExample() {
    }

    /**
     * Trains on 80 % of the iris set and prints the training loss and the test accuracy.
     *
     * @param args not used
     */
    public static void main(String[] args) {
        // README keras begin
        DataSplit split = Datasets.iris().stratifiedSplit(0, 0.2, 42);   // 150 flowers: 80 % training, 20 % test
        StandardScaler scaler = new StandardScaler();
        scaler.fit(split.train().features());
        try (Sequential model = new Sequential(Backends.get())) {
            model.input(4)
                 .add(new Dense(16, "relu"))
                 .add(new Dense(3, "softmax"));
            model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            History history = model.fit(scaler.transform(split.train().features()), split.train().labels(),
                    new FitOptions().epochs(100).batchSize(16).verbose(0));
            Map<String, Double> test = model.evaluate(scaler.transform(split.test().features()), split.test().labels());
            System.out.println("training loss " + history.last("loss") + ", test " + test);
        }
        // README keras end
    }
}
