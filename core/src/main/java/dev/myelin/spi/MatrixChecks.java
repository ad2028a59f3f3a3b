package dev.myelin.spi;

import static dev.myelin.spi.Backend.distinct;
import static dev.myelin.spi.Backend.shape;

import java.util.Objects;

/**
 * The argument checks of the operations whose shapes combine two dimensions: {@link Backend#gemm}'s inner
 * dimensions, {@link Backend#reduce}'s and {@link Backend#argmax}'s outputs, {@link Backend#binary}'s broadcasts.
 * Each runs under the backend's dispatch lock and throws before the kernel starts.
 */
final class MatrixChecks {

    private MatrixChecks() {
    }

    /** {@link Backend#gemm}: the tensors, C distinct from A and B, the inner dimensions and C's shape. */
    static void gemm(Backend backend, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        String op = "gemm";
        backend.own(op, "a", a);
        backend.own(op, "b", b);
        backend.own(op, "c", c);
        distinct(op, "c", c, "a", a);
        distinct(op, "c", c, "b", b);
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException(op + ": inner dimensions differ: op(a) is [" + m + " x " + k
                    + "] (a " + a.shape() + (transA ? " transposed" : "") + "), op(b) is [" + kb + " x " + n
                    + "] (b " + b.shape() + (transB ? " transposed" : "") + "); expected op(b) to have " + k + " rows");
        }
        shape(op, "c", c, m, n);
    }

    /** {@link Backend#reduce}: the output's shape for the axis, distinct from the input. */
    static void reduce(Backend backend, Reduction r, Axis axis, Tensor x, Tensor out) {
        String op = "reduce";
        Objects.requireNonNull(r, "reduce: argument 'reduction' is null");
        Objects.requireNonNull(axis, "reduce: argument 'axis' is null");
        backend.own(op, "x", x);
        backend.own(op, "out", out);
        distinct(op, "out", out, "x", x);
        shape(op, "out", out, axis.outputRows(x.rows()), axis.outputCols(x.cols()));
    }

    /** {@link Backend#argmax}: a {@code [rows x 1]} output distinct from the input. */
    static void argmax(Backend backend, Tensor x, Tensor out) {
        String op = "argmax";
        backend.own(op, "x", x);
        backend.own(op, "out", out);
        distinct(op, "out", out, "x", x);
        shape(op, "out", out, x.rows(), 1);
    }

    /** {@link Backend#binary}: {@code b} shaped like {@code a} or a broadcast row, column or scalar. */
    static void binary(Backend backend, BinaryOp bop, Tensor a, Tensor b, Tensor out) {
        String op = "binary";
        Objects.requireNonNull(bop, "binary: argument 'op' is null");
        backend.own(op, "a", a);
        backend.own(op, "b", b);
        backend.own(op, "out", out);
        Shape s = a.shape();
        Shape bs = b.shape();
        int br = bs.rows();
        int bc = bs.cols();
        boolean same = bs.equals(s);
        boolean ok = same || (br == 1 && bc == s.cols()) || (br == s.rows() && bc == 1) || (br == 1 && bc == 1);
        if (!ok) {
            throw new IllegalArgumentException(op + ": argument 'b' must be " + s + ", [1 x " + s.cols() + "], ["
                    + s.rows() + " x 1] or [1 x 1] to combine with a " + s + ", got " + bs);
        }
        shape(op, "out", out, s);
        if (out == b && !same) {
            throw new IllegalArgumentException(op + ": argument 'out' must not be the broadcast argument 'b' " + bs);
        }
    }
}
