package dev.myelin.spi;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A compute backend: owns tensors and runs the kernels a dense network needs on them.
 *
 * <p>Every public operation checks its arguments here, once for all backends (a message names the
 * argument, the expected and the actual value), then calls the backend's kernel. Operations are
 * enqueued in order; only host reads ({@link Tensor#toArray()}) and {@link #synchronize()} wait.
 *
 * <p>Threads: a backend may be called from any number of threads at once, and each call gives the same
 * result, bit for bit, as the same call made from one thread. Every operation, upload, download,
 * allocation and tensor release runs its checks and its kernel while holding the backend's dispatch
 * lock, so calls from different threads take turns at the door of the one queue (or stream, or worker
 * pool) and never interleave inside it: kernel objects, queue state and scratch buffers are never used
 * by two threads at once. Inside a kernel a backend may use many threads of its own. What threads
 * share is their own business: operations from different threads on the same tensor are ordered only
 * by the order in which the threads take the lock, as two unsynchronised writes to one array would be.
 * Operations enqueued by one thread stay in that thread's order; a host read waits for every operation
 * enqueued before it, from any thread. The lock is a {@link ReentrantLock}: uncontended, it costs one
 * atomic compare-and-set on entry and allocates nothing, so a single-threaded training step stays
 * allocation-free. {@link #scope() Scopes} belong to the thread that opened them. A tensor may be closed
 * from any thread, once; an operation that gets it afterwards fails with {@link IllegalStateException}.
 * Use {@link dev.myelin.Backends#open(String)} for a private instance when threads should not take turns.
 *
 * <p>Outputs are written in full and inputs are never modified, except where an argument is
 * documented as updated in place. Element-wise ops accept an output that is the same tensor as an
 * input; GEMM and the fused losses need distinct outputs.
 *
 * <h2>NaN and infinities</h2>
 *
 * One rule for every backend, checked by the conformance suite with NaN, +Inf and -Inf inputs to every
 * operation (as Keras, numpy and PyTorch behave):
 * <ul>
 * <li><b>IEEE 754 float32 arithmetic on the documented formula.</b> Each op computes the formula its
 *     Javadoc (or its enum's table) writes, and infinities flow through it as IEEE says:
 *     {@code Inf - Inf}, {@code 0 * Inf} and {@code Inf / Inf} are NaN, {@code e^-Inf} is 0,
 *     {@code x / 0} is an infinity. So {@code relu(-Inf) = 0}, {@code sigmoid(+-Inf) = 1, 0},
 *     {@code tanh(+-Inf) = +-1}, {@code elu(-Inf) = -alpha}, {@code softsign(+-Inf) = NaN}
 *     ({@code Inf / Inf}), and a SUM or MEAN over elements holding both +Inf and -Inf is NaN.</li>
 * <li><b>NaN in, NaN out.</b> Where an element-wise op, an activation (forward: {@code f(NaN)}; backward:
 *     a NaN {@code y} or {@code dy}), a per-element loss (a NaN prediction or target) or the fused losses
 *     read a NaN, that output element is NaN. No branch, clip or comparison inside a kernel may turn it
 *     into a number: {@code relu(NaN)}, {@code step(NaN)}, {@code leaky_relu(NaN)} and {@code elu(NaN)} are
 *     NaN, relu's derivative at a NaN {@code y} is NaN, and the losses' clipping to
 *     {@code [1e-7, 1 - 1e-7]} (and their "0 where clipped" gradients) apply to numbers only: a NaN
 *     prediction or logit gives a NaN loss and a NaN gradient. ({@code fmax}, {@code fmin} and
 *     {@code clamp} of OpenCL C and CUDA return the other operand for a NaN, so kernels do not use them
 *     on data.)</li>
 * <li><b>MAX, MIN and argmax: NaN wins.</b> {@link BinaryOp#MAX}/{@link BinaryOp#MIN} of a NaN and anything
 *     are NaN (Java's {@code Math.max}); a {@link Reduction#MAX}/{@link Reduction#MIN} over elements that
 *     include a NaN is NaN; {@link #argmax} of a row holding NaN is the index of its first NaN
 *     ({@code argmax([NaN, 1, 3]) = 0}, {@code argmax([1, NaN, 3]) = 1}, as numpy and PyTorch). A row of
 *     only -Inf has argmax 0 (the first of equal maxima).</li>
 * <li><b>Comparisons are IEEE comparisons.</b> {@link BinaryOp#EQUAL} and {@link BinaryOp#GREATER} give 0
 *     when either operand is NaN (so {@code x - x == x - x} is 1 exactly for finite x), as numpy's
 *     {@code equal} and {@code greater} do.</li>
 * <li><b>softmax</b> is the max-subtracted formula: a row holding a NaN or a +Inf is NaN throughout
 *     ({@code Inf - Inf}); a -Inf element gets probability 0 when the row has a larger element; a row of
 *     only -Inf is NaN. The fused softmax cross-entropy shares that softmax.</li>
 * <li><b>dropout</b>: kept elements are {@code x / (1 - rate)}, dropped ones {@code x - x}: +0 for a number,
 *     NaN for a dropped NaN or infinity (as Keras's product with the mask gives).</li>
 * <li><b>axpby and gemm</b> read {@code y} and {@code C} only when {@code beta != 0} (a NaN there is
 *     then not propagated); {@code alpha} multiplies {@code x} (and {@code op(A) op(B)}) even when it is 0,
 *     so {@code 0 * NaN} is NaN. In gemm a NaN in row {@code i} of {@code op(A)} makes row {@code i} of C
 *     NaN, a NaN in column {@code j} of {@code op(B)} column {@code j}; an infinity gives infinities (or
 *     NaN where it meets a 0 or an infinity of the other sign).</li>
 * <li><b>Optimizer updates</b> apply their formula (see {@link UpdateRule}): a NaN gradient makes the
 *     parameter and every slot the rule computes from the gradient NaN; the L1 and L2 terms are added only
 *     when their factor is non-zero, with {@code sign(NaN) = NaN}.</li>
 * </ul>
 *
 * <p>Implementations extend this class and provide the protected kernels; a
 * {@link BackendProvider} registered in {@code META-INF/services} makes them selectable.
 */
public abstract class Backend implements AutoCloseable {

    private final String name;
    /** Tensors allocated and not yet closed (a count: holding references would keep unclosed tensors alive). */
    private final AtomicInteger live = new AtomicInteger();
    private final ThreadLocal<ArrayDeque<Scope>> scopes = ThreadLocal.withInitial(ArrayDeque::new);
    /** Held by every call into the kernels, allocation and release included; see the class comment. */
    private final ReentrantLock dispatch = new ReentrantLock();
    private volatile boolean closed;

    /** For implementations: {@code name} is the provider's name. */
    protected Backend(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The provider name: {@code cpu}, {@code opencl} or {@code cuda}. */
    public final String name() {
        return name;
    }

    /** The device this backend runs on, in words (model, compute units, vector width, threads...). */
    public abstract String device();

    // ---------------------------------------------------------------- memory

    /** A new tensor of {@code rows x cols}; its contents are undefined until written. */
    public final Tensor tensor(int rows, int cols) {
        return tensor(new Shape(rows, cols));
    }

    /** A new tensor of {@code shape}; its contents are undefined until written. */
    public final Tensor tensor(Shape shape) {
        Objects.requireNonNull(shape, "shape");
        Tensor t;
        dispatch.lock();
        try {
            ensureOpen();
            t = allocate(shape);
        } catch (OutOfMemoryError e) {
            throw new AllocationException(name, shape, e);
        } finally {
            dispatch.unlock();
        }
        live.incrementAndGet();
        Scope scope = scopes.get().peek();
        if (scope != null) {
            scope.track(t);
        }
        return t;
    }

    /** A new tensor of {@code rows x cols} holding {@code values} (row-major, length exactly rows*cols). */
    public final Tensor tensor(int rows, int cols, float[] values) {
        Objects.requireNonNull(values, "tensor: argument 'values' is null");
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("tensor: argument 'values' must hold rows*cols = " + rows + "*" + cols
                    + " = " + ((long) rows * cols) + " values for a [" + rows + " x " + cols + "] tensor, got "
                    + values.length);
        }
        Tensor t = tensor(rows, cols);
        try {
            return t.copyFrom(values);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * Opens a scope on this thread: tensors this backend allocates on this thread until the scope
     * closes are closed with it. Scopes nest; close them in reverse order (try-with-resources).
     */
    public final Scope scope() {
        ensureOpen();
        ArrayDeque<Scope> stack = scopes.get();
        Scope[] self = new Scope[1];
        self[0] = new Scope(() -> stack.remove(self[0]));
        stack.push(self[0]);
        return self[0];
    }

    /** Number of tensors allocated and not yet closed (for leak checks). */
    public final int liveTensors() {
        return live.get();
    }

    /**
     * Called once by {@link Tensor#close()} after it marks the tensor closed: runs {@code freeStorage}
     * under the dispatch lock, so that storage is never freed while another thread's operation uses it.
     * Not for users.
     */
    final void released(Tensor t, Runnable freeStorage) {
        if (t.backend() != this || !t.isClosed()) {
            return;
        }
        live.decrementAndGet();
        dispatch.lock();
        try {
            freeStorage.run();
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * For implementations: the lock every public operation holds while it runs its kernel. A backend
     * takes it itself only for work it starts outside those operations (a finalising release, a
     * background flush); it is reentrant.
     */
    protected final ReentrantLock dispatchLock() {
        return dispatch;
    }

    /** Copies {@code t.size()} values from {@code src[offset..]} into {@code t}. */
    public final void upload(Tensor t, float[] src, int offset) {
        dispatch.lock();
        try {
            String op = "copyFrom";
            own(op, "tensor", t);
            Objects.requireNonNull(src, "copyFrom: argument 'src' is null");
            checkRange(op, "src", src.length, offset, t.size());
            write(t, src, offset);
        } finally {
            dispatch.unlock();
        }
    }

    /** Copies the values of {@code t} into {@code dst[offset..]}; waits for pending operations. */
    public final void download(Tensor t, float[] dst, int offset) {
        dispatch.lock();
        try {
            String op = "copyTo";
            own(op, "tensor", t);
            Objects.requireNonNull(dst, "copyTo: argument 'dst' is null");
            checkRange(op, "dst", dst.length, offset, t.size());
            read(t, dst, offset);
        } finally {
            dispatch.unlock();
        }
    }

    /** Waits until every enqueued operation has finished. */
    public final void synchronize() {
        dispatch.lock();
        try {
            ensureOpen();
            finish();
        } finally {
            dispatch.unlock();
        }
    }

    // ---------------------------------------------------------------- operations

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is {@code X} or its transpose.
     * {@code C} is {@code [m x n]}, {@code op(A)} {@code [m x k]}, {@code op(B)} {@code [k x n]}.
     * With {@code beta == 0} C is not read (NaN in C does not propagate). C must not be A or B.
     */
    public final void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        dispatch.lock();
        try {
            String op = "gemm";
            own(op, "a", a);
            own(op, "b", b);
            own(op, "c", c);
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
            gemmKernel(transA, transB, alpha, a, b, beta, c);
        } finally {
            dispatch.unlock();
        }
    }

    /** {@code y = f(x)} element-wise; {@code alpha} is the activation's parameter (see {@link Activation}). */
    public final void activation(Activation f, float alpha, Tensor x, Tensor y) {
        dispatch.lock();
        try {
            String op = "activation";
            Objects.requireNonNull(f, "activation: argument 'f' is null");
            checkAlpha(op, f, alpha);
            own(op, "x", x);
            own(op, "y", y);
            shape(op, "y", y, x.shape());
            activationKernel(f, alpha, x, y);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * {@code dx = dy * f'(x)}, with the derivative written in terms of the forward output {@code y}; only
     * for activations {@link Activation#derivableFromOutput() derivable from their output} (the others
     * need {@link #activationBackwardFromInput}).
     */
    public final void activationBackward(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        dispatch.lock();
        try {
            String op = "activationBackward";
            Objects.requireNonNull(f, "activationBackward: argument 'f' is null");
            if (!f.derivableFromOutput()) {
                throw new IllegalArgumentException(op + ": " + f.kerasName() + "'s derivative is not a function of its"
                        + " output y; use activationBackwardFromInput with the input x");
            }
            checkAlpha(op, f, alpha);
            own(op, "y", y);
            own(op, "dy", dy);
            own(op, "dx", dx);
            shape(op, "dy", dy, y.shape());
            shape(op, "dx", dx, y.shape());
            activationBackwardKernel(f, alpha, y, dy, dx);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * {@code dx = dy * f'(x)} from the forward <em>input</em> {@code x}, for every activation. {@code dx} may be
     * {@code x} or {@code dy}.
     */
    public final void activationBackwardFromInput(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        dispatch.lock();
        try {
            String op = "activationBackwardFromInput";
            Objects.requireNonNull(f, "activationBackwardFromInput: argument 'f' is null");
            checkAlpha(op, f, alpha);
            own(op, "x", x);
            own(op, "dy", dy);
            own(op, "dx", dx);
            shape(op, "dy", dy, x.shape());
            shape(op, "dx", dx, x.shape());
            activationBackwardFromInputKernel(f, alpha, x, dy, dx);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Row-wise log-softmax, as Keras's {@code log_softmax}: {@code y[i,j] = x[i,j] - max_i - ln(sum_j e^(x[i,j] - max_i))}.
     * Exact for logits far below the maximum (no log of an underflowed probability). NaN in a row makes
     * the whole row NaN; a row of -Inf is NaN. {@code y} may be {@code x}.
     */
    public final void logSoftmax(Tensor x, Tensor y) {
        dispatch.lock();
        try {
            String op = "logSoftmax";
            own(op, "x", x);
            own(op, "y", y);
            shape(op, "y", y, x.shape());
            logSoftmaxKernel(x, y);
        } finally {
            dispatch.unlock();
        }
    }

    /** Row-wise softmax, max-subtracted: {@code y[i,j] = e^(x[i,j] - max_i) / sum_j e^(x[i,j] - max_i)}. */
    public final void softmax(Tensor x, Tensor y) {
        dispatch.lock();
        try {
            String op = "softmax";
            own(op, "x", x);
            own(op, "y", y);
            shape(op, "y", y, x.shape());
            softmaxKernel(x, y);
        } finally {
            dispatch.unlock();
        }
    }

    /** Reduces {@code x} along {@code axis} into {@code out} (shape {@link Axis#outputShape}). */
    public final void reduce(Reduction r, Axis axis, Tensor x, Tensor out) {
        dispatch.lock();
        try {
            String op = "reduce";
            Objects.requireNonNull(r, "reduce: argument 'reduction' is null");
            Objects.requireNonNull(axis, "reduce: argument 'axis' is null");
            own(op, "x", x);
            own(op, "out", out);
            distinct(op, "out", out, "x", x);
            shape(op, "out", out, axis.outputRows(x.rows()), axis.outputCols(x.cols()));
            reduceKernel(r, axis, x, out);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Index of the largest element of each row of {@code x} (the first on ties) into {@code out [rows x 1]};
     * in a row holding NaN, the index of its first NaN.
     */
    public final void argmax(Tensor x, Tensor out) {
        dispatch.lock();
        try {
            String op = "argmax";
            own(op, "x", x);
            own(op, "out", out);
            distinct(op, "out", out, "x", x);
            shape(op, "out", out, x.rows(), 1);
            argmaxKernel(x, out);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * {@code out = a op b} element-wise. {@code b} is either shaped like {@code a}, or broadcast: a row
     * {@code [1 x cols]} (added to every row, e.g. a bias), a column {@code [rows x 1]}, or a scalar {@code [1 x 1]}.
     */
    public final void binary(BinaryOp bop, Tensor a, Tensor b, Tensor out) {
        dispatch.lock();
        try {
            String op = "binary";
            Objects.requireNonNull(bop, "binary: argument 'op' is null");
            own(op, "a", a);
            own(op, "b", b);
            own(op, "out", out);
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
            binaryKernel(bop, a, b, out);
        } finally {
            dispatch.unlock();
        }
    }

    /** {@code y = alpha * x + beta * y}; with {@code beta == 0} y is not read. */
    public final void axpby(float alpha, Tensor x, float beta, Tensor y) {
        dispatch.lock();
        try {
            String op = "axpby";
            own(op, "x", x);
            own(op, "y", y);
            shape(op, "y", y, x.shape());
            axpbyKernel(alpha, x, beta, y);
        } finally {
            dispatch.unlock();
        }
    }

    /** Sets every element of {@code t} to {@code value}. */
    public final void fill(Tensor t, float value) {
        dispatch.lock();
        try {
            own("fill", "t", t);
            fillKernel(t, value);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Fills {@code t} from {@link CounterRandom}: element {@code i} (row-major) depends only on
     * {@code (seed, i)}, so every backend draws the same values. UNIFORM on {@code [a, b)}; NORMAL with
     * mean {@code a}, standard deviation {@code b}.
     */
    public final void randomFill(Tensor t, Distribution d, float a, float b, long seed) {
        dispatch.lock();
        try {
            String op = "randomFill";
            Objects.requireNonNull(d, "randomFill: argument 'distribution' is null");
            own(op, "t", t);
            if (!Float.isFinite(a) || !Float.isFinite(b)) {
                throw new IllegalArgumentException(op + ": arguments 'a' and 'b' must be finite, got a=" + a + ", b=" + b);
            }
            if (d == Distribution.UNIFORM && !(a < b)) {
                throw new IllegalArgumentException(op + ": UNIFORM needs a < b, got a=" + a + ", b=" + b);
            }
            if (d == Distribution.NORMAL && !(b >= 0)) {
                throw new IllegalArgumentException(op + ": NORMAL needs a standard deviation b >= 0, got b=" + b);
            }
            randomFillKernel(t, d, a, b, seed);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Inverted dropout: {@code y[i] = uniform(seed, i) >= rate ? x[i] / (1 - rate) : x[i] - x[i]} with
     * {@link CounterRandom#uniform} (a dropped element is +0, or NaN where {@code x[i]} is NaN or infinite).
     * The same call with the same seed applied to the upstream gradient is the backward pass.
     */
    public final void dropout(float rate, long seed, Tensor x, Tensor y) {
        dispatch.lock();
        try {
            String op = "dropout";
            if (!(rate >= 0f && rate < 1f)) {
                throw new IllegalArgumentException(op + ": argument 'rate' must be in [0, 1), got " + rate);
            }
            own(op, "x", x);
            own(op, "y", y);
            shape(op, "y", y, x.shape());
            dropoutKernel(rate, seed, x, y);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Per-element loss and its gradient (see {@link ElementLoss}): {@code loss[i] = scale * l(p[i], t[i])},
     * {@code grad[i] = scale * dl/dp}. {@code param} is Huber's delta or the focal losses' gamma (ignored by
     * the others).
     */
    public final void elementLoss(ElementLoss kind, float param, float scale, Tensor pred, Tensor target,
            Tensor loss, Tensor grad) {
        elementLoss(kind, param, 0f, scale, pred, target, loss, grad);
    }

    /**
     * {@link #elementLoss(ElementLoss, float, float, Tensor, Tensor, Tensor, Tensor)} for the kinds with a
     * second parameter: {@code param2} is the class-balancing alpha of
     * {@link ElementLoss#BINARY_FOCAL_CROSSENTROPY_BALANCED} (ignored by the others).
     */
    public final void elementLoss(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad) {
        dispatch.lock();
        try {
            String op = "elementLoss";
            Objects.requireNonNull(kind, "elementLoss: argument 'kind' is null");
            if (kind == ElementLoss.HUBER && !(param > 0)) {
                throw new IllegalArgumentException(op + ": HUBER needs delta (param) > 0, got " + param);
            }
            if ((kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY || kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED)
                    && !(param >= 0 && Float.isFinite(param))) {
                throw new IllegalArgumentException(op + ": " + kind + " needs a finite gamma (param) >= 0, got " + param);
            }
            if (kind == ElementLoss.BINARY_FOCAL_CROSSENTROPY_BALANCED && !(param2 >= 0 && param2 <= 1)) {
                throw new IllegalArgumentException(op + ": " + kind + " needs alpha (param2) in [0, 1], got " + param2);
            }
            checkLossTensors(op, pred, target, loss, grad);
            elementLossKernel(kind, param, param2, scale, pred, target, loss, grad);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * A loss that couples the elements of a row (see {@link RowLoss}): {@code loss[i,j]} is element
     * {@code j}'s share of row {@code i}'s loss times {@code scale} (the row sums are the per-sample losses),
     * {@code grad} the gradient of {@code scale} times the row's loss with respect to {@code pred}.
     */
    public final void rowLoss(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        dispatch.lock();
        try {
            String op = "rowLoss";
            Objects.requireNonNull(kind, "rowLoss: argument 'kind' is null");
            // Kernels read a row several times (sums, then the outputs): no output may overlap an input.
            checkLossTensors(op, pred, target, loss, grad);
            rowLossKernel(kind, scale, pred, target, loss, grad);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Fused output activation + cross-entropy (see {@link LogitsLoss}): writes the probabilities,
     * the per-element loss times {@code scale} and the gradient with respect to the logits.
     */
    public final void crossEntropyWithLogits(LogitsLoss kind, boolean clip, float scale, Tensor logits,
            Tensor target, Tensor probs, Tensor loss, Tensor grad) {
        dispatch.lock();
        try {
            String op = "crossEntropyWithLogits";
            Objects.requireNonNull(kind, "crossEntropyWithLogits: argument 'kind' is null");
            own(op, "logits", logits);
            own(op, "target", target);
            own(op, "probs", probs);
            own(op, "loss", loss);
            own(op, "grad", grad);
            shape(op, "target", target, logits.shape());
            shape(op, "probs", probs, logits.shape());
            shape(op, "loss", loss, logits.shape());
            shape(op, "grad", grad, logits.shape());
            // Every output differs from every input and from the other outputs: kernels read a row
            // several times (max, sum, then the outputs), so any overlap would change the result.
            distinct(op, "probs", probs, "logits", logits);
            distinct(op, "probs", probs, "target", target);
            distinct(op, "loss", loss, "logits", logits);
            distinct(op, "loss", loss, "target", target);
            distinct(op, "grad", grad, "logits", logits);
            distinct(op, "grad", grad, "target", target);
            distinct(op, "probs", probs, "loss", loss);
            distinct(op, "probs", probs, "grad", grad);
            distinct(op, "loss", loss, "grad", grad);
            crossEntropyKernel(kind, clip, scale, logits, target, probs, loss, grad);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * One fused optimizer step for parameter {@code w} with gradient {@code g} (see {@link UpdateRule}):
     * updates {@code w} and the rule's {@code slots} in place; {@code g} is only read. No clipping and
     * no weight decay.
     */
    public final void optimizerUpdate(UpdateRule rule, float[] c, float l1, float l2, Tensor w, Tensor g,
            Tensor... slots) {
        optimizerUpdate(rule, c, l1, l2, GradientClip.NONE, 0f, null, 0f, w, g, slots);
    }

    /**
     * One fused optimizer step with Keras 3's gradient clipping and decoupled weight decay folded in
     * (see {@link UpdateRule} for the order): the regularized gradient is clipped as {@code clip} says
     * with threshold {@code clipAt} (and, for the norms, the sum of squares in the {@code [1 x 1]}
     * tensor {@code sumSquares}, only read), then {@code w -= w * decay}, then the rule's update.
     * {@code sumSquares} may be null when {@code clip} does not read it.
     */
    public final void optimizerUpdate(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip, float clipAt,
            Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor... slots) {
        dispatch.lock();
        try {
            String op = "optimizerUpdate";
            Objects.requireNonNull(rule, "optimizerUpdate: argument 'rule' is null");
            Objects.requireNonNull(c, "optimizerUpdate: argument 'c' is null");
            Objects.requireNonNull(clip, "optimizerUpdate: argument 'clip' is null");
            Objects.requireNonNull(slots, "optimizerUpdate: argument 'slots' is null");
            if (c.length != rule.coefficients()) {
                throw new IllegalArgumentException(op + ": " + rule + " needs " + rule.coefficients()
                        + " coefficients, got " + c.length);
            }
            if (slots.length != rule.slots()) {
                throw new IllegalArgumentException(op + ": " + rule + " needs " + rule.slots() + " slot tensors, got "
                        + slots.length);
            }
            if (!(l1 >= 0) || !(l2 >= 0)) {
                throw new IllegalArgumentException(op + ": regularization factors must be >= 0, got l1=" + l1 + ", l2=" + l2);
            }
            if (clip != GradientClip.NONE && !(clipAt > 0 && Float.isFinite(clipAt))) {
                throw new IllegalArgumentException(op + ": " + clip + " needs a finite threshold 'clipAt' > 0, got "
                        + clipAt);
            }
            if (!(decay >= 0 && Float.isFinite(decay))) {
                throw new IllegalArgumentException(op + ": argument 'decay' must be finite and >= 0, got " + decay);
            }
            if (clip.needsSumSquares()) {
                own(op, "sumSquares", sumSquares);
                shape(op, "sumSquares", sumSquares, 1, 1);
            }
            own(op, "w", w);
            own(op, "g", g);
            shape(op, "g", g, w.shape());
            distinct(op, "g", g, "w", w);
            for (int i = 0; i < slots.length; i++) {
                String arg = "slots[" + i + "]";
                own(op, arg, slots[i]);
                shape(op, arg, slots[i], w.shape());
                distinct(op, arg, slots[i], "w", w);
                distinct(op, arg, slots[i], "g", g);
                for (int j = 0; j < i; j++) {
                    distinct(op, arg, slots[i], "slots[" + j + "]", slots[j]);
                }
            }
            optimizerUpdateKernel(rule, c, l1, l2, clip, clipAt, clip.needsSumSquares() ? sumSquares : null, decay,
                    w, g, slots);
        } finally {
            dispatch.unlock();
        }
    }

    /** Frees the backend's resources (contexts, queues, thread pools). Idempotent. */
    @Override
    public final void close() {
        dispatch.lock();
        try {
            if (!closed) {
                closed = true;
                shutdown();
            }
        } finally {
            dispatch.unlock();
        }
    }

    /** True once {@link #close()} has been called. */
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return name + " (" + device() + ")";
    }

    // ---------------------------------------------------------------- what a backend implements

    protected abstract Tensor allocate(Shape shape);

    protected abstract void write(Tensor t, float[] src, int offset);

    protected abstract void read(Tensor t, float[] dst, int offset);

    protected abstract void finish();

    protected abstract void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta,
            Tensor c);

    protected abstract void activationKernel(Activation f, float alpha, Tensor x, Tensor y);

    protected abstract void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx);

    protected abstract void activationBackwardFromInputKernel(Activation f, float alpha, Tensor x, Tensor dy,
            Tensor dx);

    protected abstract void softmaxKernel(Tensor x, Tensor y);

    protected abstract void logSoftmaxKernel(Tensor x, Tensor y);

    protected abstract void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out);

    protected abstract void argmaxKernel(Tensor x, Tensor out);

    protected abstract void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out);

    protected abstract void axpbyKernel(float alpha, Tensor x, float beta, Tensor y);

    protected abstract void fillKernel(Tensor t, float value);

    protected abstract void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed);

    protected abstract void dropoutKernel(float rate, long seed, Tensor x, Tensor y);

    protected abstract void elementLossKernel(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad);

    protected abstract void rowLossKernel(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss,
            Tensor grad);

    protected abstract void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits,
            Tensor target, Tensor probs, Tensor loss, Tensor grad);

    /** The step of {@link #optimizerUpdate}; {@code sumSquares} is null unless {@code clip} reads it. */
    protected abstract void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip,
            float clipAt, Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor[] slots);

    /** Frees the backend's own resources; called once by {@link #close()}. */
    protected abstract void shutdown();

    // ---------------------------------------------------------------- argument checks

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("backend '" + name + "' is closed");
        }
    }

    private void own(String op, String arg, Tensor t) {
        ensureOpen();
        if (t == null) {
            throw new NullPointerException(op + ": argument '" + arg + "' is null");
        }
        if (t.backend() != this) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' belongs to backend '"
                    + t.backend().name() + "' (" + System.identityHashCode(t.backend()) + "), expected backend '"
                    + name + "' (" + System.identityHashCode(this) + ")");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": argument '" + arg + "' " + t.shape() + " is closed");
        }
    }

    /** Compares dimensions rather than a new Shape, so that a check allocates nothing on the hot path. */
    private static void shape(String op, String arg, Tensor t, int rows, int cols) {
        if (t.rows() != rows || t.cols() != cols) {
            shape(op, arg, t, Shape.of(rows, cols));
        }
    }

    private static void shape(String op, String arg, Tensor t, Shape expected) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' must be " + expected + ", got "
                    + t.shape());
        }
    }

    private static void distinct(String op, String arg, Tensor t, String otherArg, Tensor other) {
        if (t == other) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' must be a different tensor from '"
                    + otherArg + "'");
        }
    }

    /** The checks of a loss's tensors: one backend, one shape, outputs distinct from each other and the inputs. */
    private void checkLossTensors(String op, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        own(op, "pred", pred);
        own(op, "target", target);
        own(op, "loss", loss);
        own(op, "grad", grad);
        shape(op, "target", target, pred.shape());
        shape(op, "loss", loss, pred.shape());
        shape(op, "grad", grad, pred.shape());
        distinct(op, "loss", loss, "grad", grad);
        for (Tensor out : new Tensor[] {loss, grad}) {
            distinct(op, out == loss ? "loss" : "grad", out, "pred", pred);
            distinct(op, out == loss ? "loss" : "grad", out, "target", target);
        }
    }

    private static void checkRange(String op, String arg, int length, int offset, int count) {
        if (offset < 0 || (long) offset + count > length) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' needs " + count
                    + " values from offset " + offset + " (length >= " + ((long) offset + count) + "), got length "
                    + length + (offset < 0 ? " and a negative offset" : ""));
        }
    }

    private static void checkAlpha(String op, Activation f, float alpha) {
        if ((f == Activation.LEAKY_RELU || f == Activation.ELU) && !(alpha >= 0f && Float.isFinite(alpha))) {
            throw new IllegalArgumentException(op + ": " + f.kerasName() + " needs a finite alpha >= 0, got " + alpha);
        }
    }
}
