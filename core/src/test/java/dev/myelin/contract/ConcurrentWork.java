package dev.myelin.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myelin.spi.Activation;
import dev.myelin.spi.Axis;
import dev.myelin.spi.Backend;
import dev.myelin.spi.BinaryOp;
import dev.myelin.spi.Distribution;
import dev.myelin.spi.LogitsLoss;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Scope;
import dev.myelin.spi.Tensor;
import dev.myelin.spi.UpdateRule;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The tasks of {@link ConcurrencyContract}: each one is a pure function of its seed (inputs drawn from
 * it, every output read back), so the same seed gives the same floats on any thread. Shapes are large
 * enough that the CPU backend splits its kernels across its worker threads.
 */
final class ConcurrentWork {

    private ConcurrentWork() {
    }

    /**
     * GEMM in every transpose, activations, softmax, reductions, normalization, broadcasts, random fills, losses,
     * updates.
     */
    static float[] mixed(Backend b, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        try (Scope scope = b.scope()) {
            int m = 64 + rnd.nextInt(8);
            int k = 96 + rnd.nextInt(8);
            int n = 80 + rnd.nextInt(8);
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                Tensor a = random(b, rnd, ta ? k : m, ta ? m : k);
                Tensor w = random(b, rnd, tb ? n : k, tb ? k : n);
                Tensor c = random(b, rnd, m, n);
                b.gemm(ta, tb, 0.75f, a, w, t == 0 ? 0f : 0.5f, c);
                out.add(c.toArray());
                a.close();
                w.close();
            }
            Tensor big = random(b, rnd, 256, 520);
            Tensor act = b.tensor(256, 520);
            for (Activation f : new Activation[] {Activation.RELU, Activation.TANH, Activation.SIGMOID}) {
                b.activation(f, 0f, big, act);
                Tensor dx = b.tensor(256, 520);
                b.activationBackward(f, 0f, act, big, dx);
                out.add(sum(b, Axis.PER_COLUMN, dx));
                dx.close();
            }
            out.add(act.toArray());
            Tensor probs = b.tensor(256, 520);
            b.softmax(big, probs);
            out.add(sum(b, Axis.PER_ROW, probs));
            for (Reduction r : Reduction.values()) {
                for (Axis axis : Axis.values()) {
                    try (Tensor red = b.tensor(axis.outputRows(256), axis.outputCols(520))) {
                        b.reduce(r, axis, big, red);
                        out.add(red.toArray());
                    }
                }
            }
            try (Tensor idx = b.tensor(256, 1)) {
                b.argmax(big, idx);
                out.add(idx.toArray());
            }
            Tensor row = random(b, rnd, 1, 520);
            b.binary(BinaryOp.ADD, big, row, act);
            b.binary(BinaryOp.MUL, act, big, act);
            b.axpby(0.25f, big, -1.5f, act);
            out.add(act.toArray());
            // Batch normalization (statistics per column) and layer normalization (per row), both directions.
            for (Axis axis : new Axis[] {Axis.PER_COLUMN, Axis.PER_ROW}) {
                try (Tensor mean = b.tensor(axis.outputRows(256), axis.outputCols(520));
                        Tensor var = b.tensor(axis.outputRows(256), axis.outputCols(520));
                        Tensor normed = b.tensor(256, 520);
                        Tensor dgamma = b.tensor(1, 520);
                        Tensor dbeta = b.tensor(1, 520);
                        Tensor dx = b.tensor(256, 520)) {
                    b.moments(axis, big, mean, var);
                    b.normalize(axis, 1e-3f, 0f, big, mean, var, row, row, normed);
                    b.normalizeBackward(axis, true, 1e-3f, 0f, big, mean, var, row, normed, dgamma, dbeta, dx);
                    out.add(normed.toArray());
                    out.add(dgamma.toArray());
                    out.add(dbeta.toArray());
                    out.add(dx.toArray());
                }
            }
            Tensor noise = b.tensor(256, 520);
            b.randomFill(noise, Distribution.NORMAL, 0f, 1f, seed);
            b.dropout(0.3f, seed + 1, noise, act);
            out.add(act.toArray());
            b.fill(noise, (float) rnd.nextDouble());
            out.add(sum(b, Axis.ALL, noise));
            float[] scratch = new float[3];
            for (int i = 0; i < 20; i++) {
                // Allocation and release interleaved with other threads' kernels.
                try (Tensor tmp = b.tensor(3 + i, 5)) {
                    b.fill(tmp, i);
                    scratch[0] += tmp.toArray()[i];
                }
            }
            out.add(scratch);
            scope.close();
        }
        return concat(out);
    }

    /**
     * A two-layer classifier trained for a few steps through the ops alone: forward GEMMs with bias and
     * ReLU, fused softmax cross-entropy, backward GEMMs, Adam updates. Returns the weights and the losses.
     */
    static float[] training(Backend b, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int batch = 64;
        int in = 32;
        int hidden = 48;
        int classes = 10;
        List<float[]> out = new ArrayList<>();
        try (Scope scope = b.scope()) {
            Tensor x = random(b, rnd, batch, in);
            float[] onehot = new float[batch * classes];
            for (int i = 0; i < batch; i++) {
                onehot[i * classes + rnd.nextInt(classes)] = 1f;
            }
            Tensor y = b.tensor(batch, classes, onehot);
            Tensor w1 = random(b, rnd, in, hidden);
            Tensor b1 = b.tensor(1, hidden);
            b.fill(b1, 0f);
            Tensor w2 = random(b, rnd, hidden, classes);
            Tensor h = b.tensor(batch, hidden);
            Tensor z = b.tensor(batch, classes);
            Tensor probs = b.tensor(batch, classes);
            Tensor loss = b.tensor(batch, classes);
            Tensor dz = b.tensor(batch, classes);
            Tensor dh = b.tensor(batch, hidden);
            Tensor dw1 = b.tensor(in, hidden);
            Tensor db1 = b.tensor(1, hidden);
            Tensor dw2 = b.tensor(hidden, classes);
            Tensor[] s1 = {zeros(b, in, hidden), zeros(b, in, hidden)};
            Tensor[] sb = {zeros(b, 1, hidden), zeros(b, 1, hidden)};
            Tensor[] s2 = {zeros(b, hidden, classes), zeros(b, hidden, classes)};
            Tensor total = b.tensor(1, 1);
            float[] adam = {0.01f, 0.9f, 0.999f, 1e-7f};
            for (int step = 0; step < 6; step++) {
                b.gemm(false, false, 1f, x, w1, 0f, h);
                b.binary(BinaryOp.ADD, h, b1, h);
                b.activation(Activation.RELU, 0f, h, h);
                b.gemm(false, false, 1f, h, w2, 0f, z);
                b.crossEntropyWithLogits(LogitsLoss.SOFTMAX, true, 1f / batch, z, y, probs, loss, dz);
                b.reduce(Reduction.SUM, Axis.ALL, loss, total);
                b.gemm(true, false, 1f, h, dz, 0f, dw2);
                b.gemm(false, true, 1f, dz, w2, 0f, dh);
                b.activationBackward(Activation.RELU, 0f, h, dh, dh);
                b.gemm(true, false, 1f, x, dh, 0f, dw1);
                b.reduce(Reduction.SUM, Axis.PER_COLUMN, dh, db1);
                b.optimizerUpdate(UpdateRule.ADAM, adam, 0f, 0f, w1, dw1, s1);
                b.optimizerUpdate(UpdateRule.ADAM, adam, 0f, 0f, b1, db1, sb);
                b.optimizerUpdate(UpdateRule.ADAM, adam, 0f, 1e-4f, w2, dw2, s2);
                out.add(total.toArray());
            }
            out.add(w1.toArray());
            out.add(b1.toArray());
            out.add(w2.toArray());
            scope.close();
        }
        return concat(out);
    }

    /** Fails unless {@code actual} has exactly the bits of {@code expected}. */
    static void assertBitIdentical(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": result length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + " with other threads sharing the backend, "
                        + expected[i] + " when the same work runs alone");
            }
        }
    }

    static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static Tensor random(Backend b, SplittableRandom rnd, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextDouble(-1, 1);
        }
        return b.tensor(rows, cols, v);
    }

    private static Tensor zeros(Backend b, int rows, int cols) {
        Tensor t = b.tensor(rows, cols);
        b.fill(t, 0f);
        return t;
    }

    private static float[] sum(Backend b, Axis axis, Tensor t) {
        try (Tensor s = b.tensor(axis.outputRows(t.rows()), axis.outputCols(t.cols()))) {
            b.reduce(Reduction.SUM, axis, t, s);
            return s.toArray();
        }
    }
}
