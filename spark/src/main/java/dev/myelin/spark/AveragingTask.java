package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Sequential;
import java.util.LinkedHashMap;
import org.apache.spark.api.java.function.Function2;

/**
 * The executor side of one parameter-averaging round: the partition's replica starts from the driver's
 * weights and optimizer state, takes {@code trainOnBatch} steps on its own share of steps
 * {@code [from, to)} of the epoch, and returns its weights and optimizer state weighted by the rows it
 * trained on (see {@link WeightedSum}).
 */
final class AveragingTask implements Function2<double[], byte[], double[]> {

    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final byte[] weights;
    private final byte[] optimizerState;
    private final StepPlan plan;
    private final int epoch;
    private final int from;
    private final int to;
    private final String backend;

    AveragingTask(ModelSpec spec, byte[] weights, byte[] optimizerState, StepPlan plan, int epoch, int from, int to,
            String backend) {
        this.spec = spec;
        this.weights = weights;
        this.optimizerState = optimizerState;
        this.plan = plan;
        this.epoch = epoch;
        this.from = from;
        this.to = to;
        this.backend = backend;
    }

    @Override
    public double[] call(double[] sum, byte[] packed) {
        Block block = Block.decode(packed);
        int p = block.partition();
        TaskFaults.check(p, from);
        int[] order = plan.order(p, epoch);
        try (Replica replica = Replica.open(spec, weights, backend)) {
            Sequential m = replica.model();
            m.setOptimizerState(OptimizerStateBytes.decode(optimizerState));
            double lossSum = 0;
            long rows = 0;
            for (int s = from; s < to; s++) {
                int lo = plan.from(p, s);
                int hi = plan.to(p, s);
                if (hi > lo) {
                    FloatMatrix[] xy = block.batch(order, lo, hi);
                    lossSum += m.trainOnBatch(xy[0], xy[1]) * (hi - lo);
                    rows += hi - lo;
                }
            }
            if (rows == 0) {
                return sum;
            }
            return WeightedSum.add(sum, WeightedSum.of(lossSum / rows, rows, state(m)));
        }
    }

    /** The weights, then the optimizer state, as one ordered map (the driver splits it the same way). */
    static LinkedHashMap<String, FloatMatrix> state(Sequential m) {
        LinkedHashMap<String, FloatMatrix> all = new LinkedHashMap<>(m.namedWeights());
        m.optimizerState().slots().forEach((k, v) -> all.put("optimizer/" + k, v));
        return all;
    }
}
