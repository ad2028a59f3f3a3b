package dev.myelin.cli;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Sequential;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code myelin predict MODEL DATA}: a saved model's class for each test sample, as CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints, as CSV, the class a saved whole model (train --save FILE.myelin) predicts for each"
                + " sample of the test part of DATA, with the true class and the predicted class's output.")
public final class PredictCommand extends SavedModelCommand {

    @Override
    void run(Sequential model, TrainingData d, PrintWriter out) {
        FloatMatrix p = model.predict(d.test().features(), batchSize);
        float[] labels = d.test().labels().data();
        out.println("sample,predicted,label,output");
        for (int r = 0; r < p.rows(); r++) {
            int best = 0;
            for (int c = 1; c < p.cols(); c++) {
                if (p.get(r, c) > p.get(r, best) || Float.isNaN(p.get(r, c))) {
                    best = c;
                }
            }
            out.println(r + "," + best + "," + (int) labels[r] + "," + p.get(r, best));
        }
    }
}
