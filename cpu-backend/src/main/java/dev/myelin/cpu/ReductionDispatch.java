package dev.myelin.cpu;

import dev.myelin.spi.Axis;
import dev.myelin.spi.Reduction;
import dev.myelin.spi.Tensor;
import java.util.Arrays;

/**
 * {@link CpuBackend}'s row and reduction operations: softmax and log-softmax by rows, reductions over
 * all elements, rows or columns, and the argmax of each row.
 */
final class ReductionDispatch extends SplitDispatch {

    /** Sum-type column reductions add rows in float blocks of this many, then in double. */
    static final int COLUMN_BLOCK = 256;

    private final Parallel.RangeTask logSoftmaxTask =
            (p, from, to) -> kernels.logSoftmaxRows(args.x, args.y, args.cols, from, to);
    private final Parallel.RangeTask softmaxTask =
            (p, from, to) -> kernels.softmaxRows(args.x, args.y, args.cols, from, to);
    private final Parallel.RangeTask reduceAllTask =
            (p, from, to) -> args.partials[p] = kernels.reduce(args.r, args.x, from, to);
    private final Parallel.RangeTask reduceRowsTask =
            (p, from, to) -> reduceRows(args.r, args.x, args.cols, args.y, from, to);
    private final Parallel.RangeTask reduceColumnsTask =
            (p, from, to) -> reduceColumns(args.r, args.x, args.rows, args.cols, args.y, from, to);

    ReductionDispatch(Kernels kernels, Parallel parallel, SplitArguments args) {
        super(kernels, parallel, args);
        args.partials = new double[parallel.threads()];
    }

    void logSoftmax(Tensor x, Tensor y) {
        byRows(x, y, logSoftmaxTask);
    }

    void softmax(Tensor x, Tensor y) {
        byRows(x, y, softmaxTask);
    }

    /** Runs a row kernel of x into y (softmax, log-softmax), split by rows where the work is large. */
    private void byRows(Tensor x, Tensor y, Parallel.RangeTask task) {
        args.x = data(x);
        args.y = data(y);
        args.cols = x.cols();
        runSplit(Math.min(x.rows(), parallel.parts(x.size(), GRAIN_COSTLY)), x.rows(), 1, task);
    }

    void reduce(Reduction r, Axis axis, Tensor x, Tensor out) {
        float[] xs = data(x);
        float[] os = data(out);
        int rows = x.rows();
        int cols = x.cols();
        switch (axis) {
            case ALL -> os[0] = (float) finishMean(r, reduceAll(r, xs, x.size()), x.size());
            case PER_ROW -> {
                args.r = r;
                args.x = xs;
                args.y = os;
                args.cols = cols;
                runSplit(Math.min(rows, parallel.parts(x.size(), GRAIN_CHEAP)), rows, 1, reduceRowsTask);
            }
            case PER_COLUMN -> {
                args.r = r;
                args.x = xs;
                args.y = os;
                args.rows = rows;
                args.cols = cols;
                runSplit(Math.min(cols / 64 + 1, parallel.parts(x.size(), GRAIN_CHEAP)), cols, 64, reduceColumnsTask);
            }
        }
    }

    private static double finishMean(Reduction r, double value, int count) {
        return r == Reduction.MEAN ? value / count : value;
    }

    private double reduceAll(Reduction r, float[] xs, int n) {
        int parts = parallel.parts(n, GRAIN_CHEAP);
        if (parts <= 1) {
            return kernels.reduce(r, xs, 0, n);
        }
        double[] partial = args.partials;
        args.r = r;
        args.x = xs;
        runSplit(parts, n, ScalarKernels.SUM_BLOCK, reduceAllTask);
        double v = partial[0];
        for (int p = 1; p < parts; p++) {
            v = switch (r) {
                case MAX -> Math.max(v, partial[p]);
                case MIN -> Math.min(v, partial[p]);
                default -> v + partial[p];
            };
        }
        return v;
    }

    private void reduceRows(Reduction r, float[] xs, int cols, float[] os, int from, int to) {
        for (int row = from; row < to; row++) {
            os[row] = (float) finishMean(r, kernels.reduce(r, xs, row * cols, row * cols + cols), cols);
        }
    }

    private void reduceColumns(Reduction r, float[] xs, int rows, int cols, float[] os, int from, int to) {
        boolean extreme = r == Reduction.MAX || r == Reduction.MIN;
        if (extreme || rows <= COLUMN_BLOCK) {
            Arrays.fill(os, from, to, r == Reduction.MAX ? Float.NEGATIVE_INFINITY
                    : r == Reduction.MIN ? Float.POSITIVE_INFINITY : 0f);
            kernels.reduceColumns(r, xs, cols, 0, rows, from, to, os);
            if (r == Reduction.MEAN) {
                for (int c = from; c < to; c++) {
                    os[c] /= rows;
                }
            }
            return;
        }
        // Long columns: float sums over blocks of rows, added in double, so the error does not grow with rows.
        int width = to - from;
        float[] block = new float[cols];
        double[] total = new double[width];
        for (int r0 = 0; r0 < rows; r0 += COLUMN_BLOCK) {
            Arrays.fill(block, from, to, 0f);
            kernels.reduceColumns(r, xs, cols, r0, Math.min(rows, r0 + COLUMN_BLOCK), from, to, block);
            for (int c = 0; c < width; c++) {
                total[c] += block[from + c];
            }
        }
        for (int c = 0; c < width; c++) {
            os[from + c] = (float) finishMean(r, total[c], rows);
        }
    }

    /** The index of each row's largest element, on the calling thread. */
    static void argmax(Tensor x, Tensor out) {
        float[] xs = data(x);
        float[] os = data(out);
        int cols = x.cols();
        for (int row = 0; row < x.rows(); row++) {
            int o = row * cols;
            int best = 0;
            float max = xs[o];
            for (int j = 1; j < cols; j++) {
                // Strictly greater keeps the first index on ties; the first NaN wins and ends the row.
                if (Float.isNaN(max)) {
                    break;
                }
                if (xs[o + j] > max || Float.isNaN(xs[o + j])) {
                    max = xs[o + j];
                    best = j;
                }
            }
            os[row] = best;
        }
    }
}
