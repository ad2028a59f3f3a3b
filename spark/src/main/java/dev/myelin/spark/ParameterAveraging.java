package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.OptimizerState;
import dev.myelin.nn.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The driver side of {@link SparkTrainer#averageEvery(int)}: one job per round of local steps. */
final class ParameterAveraging {

    private final SparkTrainer trainer;
    private final Sequential model;
    private final ModelSpec spec;
    private final TrainingBlocks blocks;
    private final StepPlan plan;

    ParameterAveraging(SparkTrainer trainer, Sequential model, ModelSpec spec, TrainingBlocks blocks, StepPlan plan) {
        this.trainer = trainer;
        this.model = model;
        this.spec = spec;
        this.blocks = blocks;
        this.plan = plan;
    }

    TrainingSummary run() {
        List<Double> epochLosses = new ArrayList<>();
        List<Double> roundMillis = new ArrayList<>();
        int n = trainer.averageEverySteps();
        for (int epoch = 0; epoch < trainer.epochs(); epoch++) {
            double lossSum = 0;
            for (int from = 0; from < plan.steps(); from += n) {
                long started = System.nanoTime();
                long before = model.iterations();
                int to = Math.min(plan.steps(), from + n);
                LinkedHashMap<String, FloatMatrix> like = AveragingTask.state(model);
                AveragingTask task = new AveragingTask(spec, WeightBytes.encode(model.namedWeights()),
                        OptimizerStateBytes.encode(model.optimizerState()), plan, epoch, from, to, trainer.backendName());
                double[] sum = blocks.rdd().treeAggregate(new double[0], task, WeightedSum::add, trainer.depth());
                LinkedHashMap<String, FloatMatrix> averaged = WeightedSum.means(sum, like);
                LinkedHashMap<String, FloatMatrix> weights = new LinkedHashMap<>();
                LinkedHashMap<String, FloatMatrix> slots = new LinkedHashMap<>();
                for (Map.Entry<String, FloatMatrix> e : averaged.entrySet()) {
                    if (e.getKey().startsWith("optimizer/")) {
                        slots.put(e.getKey().substring("optimizer/".length()), e.getValue());
                    } else {
                        weights.put(e.getKey(), e.getValue());
                    }
                }
                model.setNamedWeights(weights);
                OptimizerState state = model.optimizerState();
                model.setOptimizerState(new OptimizerState(state.optimizer(), state.iterations() + (to - from),
                        state.learningRate(), slots));
                lossSum += WeightedSum.meanLoss(sum) * WeightedSum.rows(sum);
                roundMillis.add((System.nanoTime() - started) / 1e6);
                trainer.maybeCheckpoint(model, before, epoch, to - 1);
            }
            epochLosses.add(lossSum / plan.totalRows());
        }
        return new TrainingSummary(epochLosses, roundMillis);
    }
}
