package dev.myelin.spark;

import dev.myelin.data.FloatMatrix;
import dev.myelin.nn.Gradients;
import org.apache.spark.api.java.function.Function2;

/**
 * The executor side of one exact distributed step: for its partition's share of the step's rows, the
 * batch-mean loss and gradients on a private replica holding the step's weights, weighted by the rows
 * (see {@link WeightedSum}). Everything it reads is fixed by the closure (spec, weights, plan, epoch,
 * step) and the persisted block, so a retried task returns the same sum.
 */
final class StepTask implements Function2<double[], byte[], double[]> {

    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final byte[] weights;
    private final StepPlan plan;
    private final int epoch;
    private final int step;
    private final long globalStep;
    private final String backend;

    StepTask(ModelSpec spec, byte[] weights, StepPlan plan, int epoch, int step, long globalStep, String backend) {
        this.spec = spec;
        this.weights = weights;
        this.plan = plan;
        this.epoch = epoch;
        this.step = step;
        this.globalStep = globalStep;
        this.backend = backend;
    }

    @Override
    public double[] call(double[] sum, byte[] packed) {
        Block block = Block.decode(packed);
        int p = block.partition();
        TaskFaults.check(p, globalStep);
        int from = plan.from(p, step);
        int to = plan.to(p, step);
        if (to <= from) {
            return sum;
        }
        FloatMatrix[] xy = block.batch(plan.order(p, epoch), from, to);
        try (Replica replica = Replica.open(spec, weights, backend)) {
            Gradients g = replica.model().computeGradients(xy[0], xy[1], globalStep, plan.offsetInStep(p, step));
            return WeightedSum.add(sum, WeightedSum.of(g.loss(), g.rows(), g.toMap()));
        }
    }
}
