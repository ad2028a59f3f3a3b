package dev.myelin.cli;

import dev.myelin.nn.Sequential;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code myelin evaluate MODEL DATA}: the loss and metrics of a saved model on the test part of a data set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints the loss and metrics of a saved whole model (train --save FILE.myelin) on the test"
                + " part of DATA.")
public final class EvaluateCommand extends SavedModelCommand {

    @Override
    void run(Sequential model, TrainingData d, PrintWriter out) {
        var logs = model.evaluate(d.test().features(), TrainingData.targets(d.test(), model.loss()), batchSize);
        out.println("Test:    " + TrainCommand.formatLogs(logs) + " (" + d.test().size() + " samples)");
    }
}
