package dev.myelin.nn.custom;

import dev.myelin.nn.Initializer;
import dev.myelin.nn.Layer;
import dev.myelin.nn.Parameter;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import java.util.Map;

/** A user layer: {@code y = x * scale}, one trainable scale per feature, starting at 1. */
public final class Scale extends Layer {

    private Parameter scale;

    public Scale() {
        super(null);
    }

    public static Scale fromConfig(Map<String, Object> config) {
        return new Scale().withBaseConfig(config);
    }

    @Override
    public String type() {
        return "Scale";
    }

    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    protected void build(int inputSize) {
        scale = addWeight("scale", 1, inputSize, Initializer.of("ones"), null, true);
    }

    @Override
    protected Frame frame(int batch) {
        return new ScaleFrame(backend().tensor(batch, inputSize()), backend().tensor(batch, inputSize()));
    }

    @Override
    protected Tensor forward(Frame frame, Tensor x, Pass pass) {
        ScaleFrame f = (ScaleFrame) frame;
        f.input = x;
        backend().binary(BinaryOp.MUL, x, scale.value(), f.y);
        return f.y;
    }

    @Override
    protected Tensor backward(Frame frame, Tensor dy, Pass pass) {
        ScaleFrame f = (ScaleFrame) frame;
        Backend b = backend();
        b.binary(BinaryOp.MUL, dy, f.input, f.tmp);
        b.reduce(Reduction.SUM, Axis.PER_COLUMN, f.tmp, scale.gradient());
        if (!pass.needInputGradient()) {
            return null;
        }
        b.binary(BinaryOp.MUL, dy, scale.value(), dy);
        return dy;
    }

    /** The per-call buffers: the output, a scratch tensor, and the input kept for backward. */
    private static final class ScaleFrame extends Frame {
        final Tensor y;
        final Tensor tmp;
        Tensor input;

        ScaleFrame(Tensor y, Tensor tmp) {
            super(y, tmp);
            this.y = y;
            this.tmp = tmp;
        }
    }
}
