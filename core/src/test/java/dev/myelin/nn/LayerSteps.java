package dev.myelin.nn;

import dev.myelin.spi.Tensor;

/**
 * Runs a layer's forward and backward passes outside a model, with the frame and pass a model would give
 * it: for tests of a layer's own step (e.g. that it allocates nothing) on any backend.
 */
public final class LayerSteps implements AutoCloseable {

    private final Layer layer;
    private final Layer.Frame frame;
    private final Layer.Pass pass = new Layer.Pass();

    /**
     * Steps for {@code layer}, built by its model, on batches of {@code batch} rows.
     *
     * @param layer a built layer
     * @param batch the rows of each batch
     */
    public LayerSteps(Layer layer, int batch) {
        this.layer = layer;
        this.frame = layer.frame(batch);
        pass.needInputGradient = true;
    }

    /**
     * One forward pass, then one backward pass of {@code dy} (overwritten).
     *
     * @param x the input
     * @param dy the gradient of the output
     * @param training training or inference mode
     * @param step the step key of random layers
     * @return the input gradient
     */
    public Tensor step(Tensor x, Tensor dy, boolean training, long step) {
        pass.training = training;
        pass.step = step;
        layer.forward(frame, x, pass);
        return layer.backward(frame, dy, pass);
    }

    @Override
    public void close() {
        frame.release();
    }
}
