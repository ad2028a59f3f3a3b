package dev.myelin.nn;

import java.io.PrintStream;

/** Keras {@code TerminateOnNaN}: stops training at the first batch whose loss is NaN or infinite. */
public final class TerminateOnNaN implements Callback {

    private final PrintStream out;
    private Sequential model;
    private int stoppedEpoch = -1;
    private int stoppedStep = -1;

    /** A callback that says why it stopped on {@code System.out}, as Keras prints it. */
    public TerminateOnNaN() {
        this(System.out);
    }

    /**
     * A callback that says why it stopped on {@code out}.
     *
     * @param out the stream for the message
     */
    public TerminateOnNaN(PrintStream out) {
        this.out = java.util.Objects.requireNonNull(out, "TerminateOnNaN: argument 'out' is null");
    }

    @Override
    public void onTrainBegin(Sequential model) {
        this.model = model;
        stoppedEpoch = -1;
        stoppedStep = -1;
    }

    @Override
    public boolean needsBatchLoss() {
        return true;
    }

    @Override
    public void onBatchEnd(int epoch, int step, double loss) {
        if (!Double.isFinite(loss) && stoppedEpoch < 0) {
            stoppedEpoch = epoch;
            stoppedStep = step;
            out.println("Epoch " + (epoch + 1) + ", batch " + (step + 1) + ": invalid loss " + loss
                    + ", terminating training");
            model.stopTraining(true);
        }
    }

    /**
     * The 0-based epoch training stopped in, or -1.
     *
     * @return the epoch, or -1
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /**
     * The 0-based batch of {@link #stoppedEpoch()} whose loss was not finite, or -1.
     *
     * @return the batch, or -1
     */
    public int stoppedStep() {
        return stoppedStep;
    }
}
