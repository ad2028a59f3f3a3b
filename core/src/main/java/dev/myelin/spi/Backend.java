package dev.myelin.spi;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A compute backend: owns tensors and runs the kernels a dense network needs on them.
 *
 * <p>Every public operation checks its arguments here, once for all backends (a message names the
 * argument, the expected and the actual value; the checks of each family of operations are in this
 * package's {@code MatrixChecks}, {@code ElementwiseChecks}, {@code LossChecks} and {@code UpdateChecks}),
 * then calls the backend's kernel. Operations are
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

    /**
     * For implementations: {@code name} is the provider's name.
     *
     * @param name the provider's name, as {@link BackendProvider} registers it ({@code cpu}, {@code opencl},
     *     {@code cuda}...); not null
     * @throws NullPointerException if {@code name} is null
     */
    protected Backend(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * The provider name: {@code cpu}, {@code opencl} or {@code cuda}.
     *
     * @return the name given to the constructor, never null
     */
    public final String name() {
        return name;
    }

    /**
     * The device this backend runs on, in words (model, compute units, vector width, threads...).
     *
     * @return a human-readable description of the device, for logs and {@link #toString()}
     */
    public abstract String device();

    // ---------------------------------------------------------------- memory

    /**
     * A new tensor of {@code rows x cols}; its contents are undefined until written.
     *
     * @param rows number of rows, at least 1
     * @param cols number of columns, at least 1; {@code rows * cols} at most {@link Shape#MAX_SIZE}
     * @return a new open tensor on this backend, tracked by this thread's innermost {@link #scope()} if any
     * @throws IllegalArgumentException if a dimension is below 1 or the element count is too large
     * @throws AllocationException if the heap or device memory cannot hold the tensor
     * @throws IllegalStateException if this backend is closed
     */
    public final Tensor tensor(int rows, int cols) {
        return tensor(new Shape(rows, cols));
    }

    /**
     * A new tensor of {@code shape}; its contents are undefined until written.
     *
     * @param shape the tensor's shape; not null
     * @return a new open tensor on this backend, tracked by this thread's innermost {@link #scope()} if any
     * @throws AllocationException if the heap or device memory cannot hold the tensor
     * @throws IllegalStateException if this backend is closed
     */
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

    /**
     * A new tensor of {@code rows x cols} holding {@code values} (row-major, length exactly rows*cols).
     *
     * @param rows number of rows, at least 1
     * @param cols number of columns, at least 1
     * @param values the elements, row-major, exactly {@code rows * cols} of them; copied, not kept; not null
     * @return a new open tensor on this backend holding a copy of {@code values}
     * @throws IllegalArgumentException if {@code values.length != rows * cols} or a dimension is below 1
     * @throws AllocationException if the heap or device memory cannot hold the tensor
     */
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
     *
     * @return the new scope, now this thread's innermost one
     * @throws IllegalStateException if this backend is closed
     */
    public final Scope scope() {
        ensureOpen();
        ArrayDeque<Scope> stack = scopes.get();
        Scope[] self = new Scope[1];
        self[0] = new Scope(() -> stack.remove(self[0]));
        stack.push(self[0]);
        return self[0];
    }

    /**
     * Number of tensors allocated and not yet closed (for leak checks).
     *
     * @return the count over all threads, 0 or more
     */
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
     *
     * @return this backend's dispatch lock (the same instance on every call)
     */
    protected final ReentrantLock dispatchLock() {
        return dispatch;
    }

    /**
     * Copies {@code t.size()} values from {@code src[offset..]} into {@code t}.
     *
     * @param t the tensor to write, open and of this backend
     * @param src the values, row-major; not null; read from {@code offset} to {@code offset + t.size()}
     * @param offset index in {@code src} of the first value, 0 or more
     * @throws IllegalArgumentException if {@code src} holds fewer than {@code offset + t.size()} values or
     *     {@code offset} is negative
     */
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

    /**
     * Copies the values of {@code t} into {@code dst[offset..]}; waits for pending operations.
     *
     * @param t the tensor to read, open and of this backend
     * @param dst the array to fill, row-major; not null; written from {@code offset} to
     *     {@code offset + t.size()}
     * @param offset index in {@code dst} of the first value written, 0 or more
     * @throws IllegalArgumentException if {@code dst} is too short for {@code offset + t.size()} values or
     *     {@code offset} is negative
     */
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
     *
     * @param transA whether {@code op(A)} is the transpose of {@code a} (BLAS {@code 'T'})
     * @param transB whether {@code op(B)} is the transpose of {@code b}
     * @param alpha factor of the product; applied even when 0 (so {@code 0 * NaN} is NaN)
     * @param a the left matrix A, {@code [m x k]}, or {@code [k x m]} with {@code transA}
     * @param b the right matrix B, {@code [k x n]}, or {@code [n x k]} with {@code transB}
     * @param beta factor of the old C; 0 means C is only written
     * @param c the output C, {@code [m x n]}, updated in place; a different tensor from {@code a} and {@code b}
     * @throws IllegalArgumentException if the inner dimensions differ, {@code c}'s shape is not
     *     {@code [m x n]}, or {@code c} is {@code a} or {@code b}
     */
    public final void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        dispatch.lock();
        try {
            MatrixChecks.gemm(this, transA, transB, a, b, c);
            gemmKernel(transA, transB, alpha, a, b, beta, c);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * {@code y = f(x)} element-wise; {@code alpha} is the activation's parameter (see {@link Activation}).
     *
     * @param f the activation (Keras's {@code activation=} name); not null
     * @param alpha leaky_relu's negative slope or elu's alpha, finite and {@code >= 0} for those; ignored by the
     *     others
     * @param x the input, any shape
     * @param y the output, shaped like {@code x}; may be {@code x}
     * @throws IllegalArgumentException if {@code y}'s shape differs or {@code alpha} is invalid for {@code f}
     */
    public final void activation(Activation f, float alpha, Tensor x, Tensor y) {
        dispatch.lock();
        try {
            ElementwiseChecks.activation(this, f, alpha, x, y);
            activationKernel(f, alpha, x, y);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * {@code dx = dy * f'(x)}, with the derivative written in terms of the forward output {@code y}; only
     * for activations {@link Activation#derivableFromOutput() derivable from their output} (the others
     * need {@link #activationBackwardFromInput}).
     *
     * @param f the activation of the forward pass; must be {@link Activation#derivableFromOutput()}
     * @param alpha the activation's parameter, as given to {@link #activation}
     * @param y the forward output {@code f(x)}
     * @param dy the upstream gradient (loss with respect to {@code y}), shaped like {@code y}
     * @param dx the output, the gradient with respect to {@code x}, shaped like {@code y}; may be {@code y}
     *     or {@code dy}
     * @throws IllegalArgumentException if {@code f} is not derivable from its output, a shape differs, or
     *     {@code alpha} is invalid for {@code f}
     */
    public final void activationBackward(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        dispatch.lock();
        try {
            ElementwiseChecks.activationBackward(this, f, alpha, y, dy, dx);
            activationBackwardKernel(f, alpha, y, dy, dx);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * {@code dx = dy * f'(x)} from the forward <em>input</em> {@code x}, for every activation. {@code dx} may be
     * {@code x} or {@code dy}.
     *
     * @param f the activation of the forward pass; not null
     * @param alpha the activation's parameter, as given to {@link #activation}
     * @param x the forward input
     * @param dy the upstream gradient (loss with respect to {@code f(x)}), shaped like {@code x}
     * @param dx the output, the gradient with respect to {@code x}, shaped like {@code x}
     * @throws IllegalArgumentException if a shape differs or {@code alpha} is invalid for {@code f}
     */
    public final void activationBackwardFromInput(Activation f, float alpha, Tensor x, Tensor dy, Tensor dx) {
        dispatch.lock();
        try {
            ElementwiseChecks.activationBackwardFromInput(this, f, alpha, x, dy, dx);
            activationBackwardFromInputKernel(f, alpha, x, dy, dx);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Row-wise log-softmax, as Keras's {@code log_softmax}: {@code y[i,j] = x[i,j] - max_i - ln(sum_j e^(x[i,j] - max_i))}.
     * Exact for logits far below the maximum (no log of an underflowed probability). NaN in a row makes
     * the whole row NaN; a row of -Inf is NaN. {@code y} may be {@code x}.
     *
     * @param x the logits, one sample per row
     * @param y the output log-probabilities, shaped like {@code x}
     */
    public final void logSoftmax(Tensor x, Tensor y) {
        dispatch.lock();
        try {
            ElementwiseChecks.shapedLike(this, "logSoftmax", x, y);
            logSoftmaxKernel(x, y);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Row-wise softmax, max-subtracted: {@code y[i,j] = e^(x[i,j] - max_i) / sum_j e^(x[i,j] - max_i)}.
     *
     * @param x the logits, one sample per row
     * @param y the output probabilities (each row sums to 1), shaped like {@code x}; may be {@code x}
     */
    public final void softmax(Tensor x, Tensor y) {
        dispatch.lock();
        try {
            ElementwiseChecks.shapedLike(this, "softmax", x, y);
            softmaxKernel(x, y);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Reduces {@code x} along {@code axis} into {@code out} (shape {@link Axis#outputShape}).
     *
     * @param r how elements combine (sum, mean, max...); not null
     * @param axis which elements combine: per row, per column or all; not null
     * @param x the input
     * @param out the output, {@code [rows x 1]}, {@code [1 x cols]} or {@code [1 x 1]} by {@code axis}; not {@code x}
     * @throws IllegalArgumentException if {@code out}'s shape is wrong or {@code out} is {@code x}
     */
    public final void reduce(Reduction r, Axis axis, Tensor x, Tensor out) {
        dispatch.lock();
        try {
            MatrixChecks.reduce(this, r, axis, x, out);
            reduceKernel(r, axis, x, out);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Index of the largest element of each row of {@code x} (the first on ties) into {@code out [rows x 1]};
     * in a row holding NaN, the index of its first NaN.
     *
     * @param x the input, one sample per row
     * @param out the output, {@code [rows x 1]}: each row's 0-based column index as a float; not {@code x}
     */
    public final void argmax(Tensor x, Tensor out) {
        dispatch.lock();
        try {
            MatrixChecks.argmax(this, x, out);
            argmaxKernel(x, out);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * {@code out = a op b} element-wise. {@code b} is either shaped like {@code a}, or broadcast: a row
     * {@code [1 x cols]} (added to every row, e.g. a bias), a column {@code [rows x 1]}, or a scalar {@code [1 x 1]}.
     *
     * @param bop the element-wise operation; not null
     * @param a the left operand, which sets the output's shape
     * @param b the right operand: shaped like {@code a}, or a broadcast row, column or scalar
     * @param out the output, shaped like {@code a}; may be {@code a}, or {@code b} only when not broadcast
     * @throws IllegalArgumentException if {@code b} cannot broadcast to {@code a} or {@code out}'s shape differs
     */
    public final void binary(BinaryOp bop, Tensor a, Tensor b, Tensor out) {
        dispatch.lock();
        try {
            MatrixChecks.binary(this, bop, a, b, out);
            binaryKernel(bop, a, b, out);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * {@code y = alpha * x + beta * y}; with {@code beta == 0} y is not read.
     *
     * @param alpha factor of {@code x}; applied even when 0
     * @param x the input, only read
     * @param beta factor of the old {@code y}; 0 means {@code y} is only written
     * @param y the accumulator, shaped like {@code x}, updated in place
     */
    public final void axpby(float alpha, Tensor x, float beta, Tensor y) {
        dispatch.lock();
        try {
            ElementwiseChecks.shapedLike(this, "axpby", x, y);
            axpbyKernel(alpha, x, beta, y);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Sets every element of {@code t} to {@code value}.
     *
     * @param t the tensor to overwrite
     * @param value the value written to each element (NaN and infinities allowed)
     */
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
     *
     * @param t the tensor to overwrite
     * @param d the distribution; not null
     * @param a UNIFORM's lower bound (inclusive) or NORMAL's mean; finite
     * @param b UNIFORM's upper bound (exclusive, {@code > a}) or NORMAL's standard deviation ({@code >= 0}); finite
     * @param seed the generator's seed; the same seed gives the same values on every backend
     * @throws IllegalArgumentException if {@code a} or {@code b} is not finite or out of range for {@code d}
     */
    public final void randomFill(Tensor t, Distribution d, float a, float b, long seed) {
        dispatch.lock();
        try {
            ElementwiseChecks.randomFill(this, t, d, a, b);
            randomFillKernel(t, d, a, b, seed);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Inverted dropout: {@code y[i] = uniform(seed, i) >= rate ? x[i] / (1 - rate) : x[i] - x[i]} with
     * {@link CounterRandom#uniform} (a dropped element is +0, or NaN where {@code x[i]} is NaN or infinite).
     * The same call with the same seed applied to the upstream gradient is the backward pass.
     *
     * @param rate fraction of elements dropped, in {@code [0, 1)} (Keras's {@code Dropout(rate)})
     * @param seed the mask's seed; reuse it for the backward pass
     * @param x the input
     * @param y the output, shaped like {@code x}; may be {@code x}
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)} or {@code y}'s shape differs
     */
    public final void dropout(float rate, long seed, Tensor x, Tensor y) {
        dispatch.lock();
        try {
            ElementwiseChecks.dropout(this, rate, x, y);
            dropoutKernel(rate, seed, x, y);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Per-element loss and its gradient (see {@link ElementLoss}): {@code loss[i] = scale * l(p[i], t[i])},
     * {@code grad[i] = scale * dl/dp}. {@code param} is Huber's delta or the focal losses' gamma (ignored by
     * the others).
     *
     * @param kind the loss (Keras's loss function of that name); not null
     * @param param Huber's delta ({@code > 0}) or the focal gamma (finite, {@code >= 0}); ignored by the others
     * @param scale factor of loss and gradient (the caller folds Keras's means into it)
     * @param pred the predictions {@code p}
     * @param target the targets {@code t}, shaped like {@code pred}
     * @param loss the output per-element loss, shaped like {@code pred}, distinct from the inputs and {@code grad}
     * @param grad the output gradient with respect to {@code pred}, shaped like {@code pred}, distinct from the
     *     inputs
     * @throws IllegalArgumentException if {@code param} is invalid for {@code kind}, a shape differs or an
     *     output overlaps another tensor
     */
    public final void elementLoss(ElementLoss kind, float param, float scale, Tensor pred, Tensor target,
            Tensor loss, Tensor grad) {
        elementLoss(kind, param, 0f, scale, pred, target, loss, grad);
    }

    /**
     * {@link #elementLoss(ElementLoss, float, float, Tensor, Tensor, Tensor, Tensor)} for the kinds with a
     * second parameter: {@code param2} is the class-balancing alpha of
     * {@link ElementLoss#BINARY_FOCAL_CROSSENTROPY_BALANCED} (ignored by the others).
     *
     * @param kind the loss (Keras's loss function of that name); not null
     * @param param Huber's delta ({@code > 0}) or the focal gamma (finite, {@code >= 0}); ignored by the others
     * @param param2 the balanced focal loss's alpha, in {@code [0, 1]}; ignored by the others
     * @param scale factor of loss and gradient (the caller folds Keras's means into it)
     * @param pred the predictions {@code p}
     * @param target the targets {@code t}, shaped like {@code pred}
     * @param loss the output per-element loss, shaped like {@code pred}, distinct from the inputs and {@code grad}
     * @param grad the output gradient with respect to {@code pred}, shaped like {@code pred}, distinct from the
     *     inputs
     * @throws IllegalArgumentException if {@code param} or {@code param2} is invalid for {@code kind}, a shape
     *     differs or an output overlaps another tensor
     */
    public final void elementLoss(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad) {
        dispatch.lock();
        try {
            LossChecks.elementLoss(this, kind, param, param2, pred, target, loss, grad);
            elementLossKernel(kind, param, param2, scale, pred, target, loss, grad);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * A loss that couples the elements of a row (see {@link RowLoss}): {@code loss[i,j]} is element
     * {@code j}'s share of row {@code i}'s loss times {@code scale} (the row sums are the per-sample losses),
     * {@code grad} the gradient of {@code scale} times the row's loss with respect to {@code pred}.
     *
     * @param kind the loss (Keras's loss function of that name); not null
     * @param scale factor of loss and gradient (the caller folds Keras's means into it)
     * @param pred the predictions, one sample per row
     * @param target the targets, shaped like {@code pred}
     * @param loss the output per-element shares of the loss, shaped like {@code pred}, distinct from every other
     *     argument
     * @param grad the output gradient with respect to {@code pred}, shaped like {@code pred}, distinct from every
     *     other argument
     * @throws IllegalArgumentException if a shape differs or an output overlaps another tensor
     */
    public final void rowLoss(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss, Tensor grad) {
        dispatch.lock();
        try {
            LossChecks.rowLoss(this, kind, pred, target, loss, grad);
            rowLossKernel(kind, scale, pred, target, loss, grad);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Fused output activation + cross-entropy (see {@link LogitsLoss}): writes the probabilities,
     * the per-element loss times {@code scale} and the gradient with respect to the logits.
     *
     * @param kind SOFTMAX (categorical) or SIGMOID (binary); not null
     * @param clip true to clip the probabilities to {@code [1e-7, 1 - 1e-7]} as Keras's
     *     {@code from_logits=False} does; false for the exact log of {@code from_logits=True}
     * @param scale factor of loss and gradient (the caller folds Keras's means into it)
     * @param logits the pre-activation outputs {@code z}, one sample per row
     * @param target the targets, shaped like {@code logits} (for SOFTMAX each row summing to 1)
     * @param probs the output probabilities, shaped like {@code logits}
     * @param loss the output per-element loss, shaped like {@code logits}
     * @param grad the output gradient with respect to {@code logits}, shaped like {@code logits}
     * @throws IllegalArgumentException if a shape differs or any output is an input or another output
     */
    public final void crossEntropyWithLogits(LogitsLoss kind, boolean clip, float scale, Tensor logits,
            Tensor target, Tensor probs, Tensor loss, Tensor grad) {
        dispatch.lock();
        try {
            LossChecks.crossEntropyWithLogits(this, kind, logits, target, probs, loss, grad);
            crossEntropyKernel(kind, clip, scale, logits, target, probs, loss, grad);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * One fused optimizer step for parameter {@code w} with gradient {@code g} (see {@link UpdateRule}):
     * updates {@code w} and the rule's {@code slots} in place; {@code g} is only read. No clipping and
     * no weight decay.
     *
     * @param rule the update rule; not null
     * @param c the rule's host-computed coefficients ({@link UpdateRule#coefficients()} of them: learning rate,
     *     moments, epsilon, bias corrections; see {@link UpdateRule}); not null
     * @param l1 the L1 regularization factor, {@code >= 0} (0 for none)
     * @param l2 the L2 regularization factor, {@code >= 0} (0 for none)
     * @param w the parameter, updated in place
     * @param g the gradient, shaped like {@code w}, only read; not {@code w}
     * @param slots the rule's state tensors ({@link UpdateRule#slots()} of them, in the order of its table),
     *     each shaped like {@code w}, updated in place, distinct from each other, {@code w} and {@code g}
     * @throws IllegalArgumentException if {@code c} or {@code slots} has the wrong length, a factor is negative,
     *     or a tensor has the wrong shape or is another argument
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
     *
     * @param rule the update rule; not null
     * @param c the rule's host-computed coefficients ({@link UpdateRule#coefficients()} of them: learning rate,
     *     moments, epsilon, bias corrections; see {@link UpdateRule}); not null
     * @param l1 the L1 regularization factor, {@code >= 0} (0 for none)
     * @param l2 the L2 regularization factor, {@code >= 0} (0 for none)
     * @param clip the gradient clipping (Keras's {@code clipvalue}, {@code clipnorm}, {@code global_clipnorm});
     *     not null
     * @param clipAt the clipping threshold, finite and {@code > 0} unless {@code clip} is NONE
     * @param sumSquares {@code [1 x 1]} sum of squared gradients for NORM and GLOBAL_NORM; null allowed otherwise
     * @param decay the decoupled weight decay factor (Keras's {@code weight_decay} times the learning rate),
     *     finite and {@code >= 0}
     * @param w the parameter, updated in place
     * @param g the gradient, shaped like {@code w}, only read; not {@code w}
     * @param slots the rule's state tensors ({@link UpdateRule#slots()} of them, in the order of its table),
     *     each shaped like {@code w}, updated in place, distinct from each other, {@code w} and {@code g}
     * @throws IllegalArgumentException if {@code c} or {@code slots} has the wrong length, a factor or threshold
     *     is out of range, or a tensor has the wrong shape or is another argument
     */
    public final void optimizerUpdate(UpdateRule rule, float[] c, float l1, float l2, GradientClip clip, float clipAt,
            Tensor sumSquares, float decay, Tensor w, Tensor g, Tensor... slots) {
        dispatch.lock();
        try {
            UpdateChecks.optimizerUpdate(this, rule, c, l1, l2, clip, clipAt, sumSquares, decay, w, g, slots);
            optimizerUpdateKernel(rule, c, l1, l2, clip, clipAt, clip.needsSumSquares() ? sumSquares : null, decay,
                    w, g, slots);
        } finally {
            dispatch.unlock();
        }
    }

    // ---------------------------------------------------------------- normalization (batch, layer, feature-wise)

    /**
     * The mean and the biased variance ({@code mean((x - mean)^2)}, numpy's {@code var}, Keras's
     * {@code ops.moments}) of each column ({@link Axis#PER_COLUMN}: {@code [1 x cols]} outputs, the batch
     * statistics of batch normalization) or of each row ({@link Axis#PER_ROW}: {@code [rows x 1]}, layer
     * normalization). Two passes: the mean, then the mean of squared deviations. A NaN or infinity among a
     * column's (row's) elements makes its mean and variance NaN or infinite as IEEE arithmetic gives.
     *
     * @param axis {@link Axis#PER_COLUMN} or {@link Axis#PER_ROW}; not null
     * @param x the input
     * @param mean the output means, {@code [1 x cols]} or {@code [rows x 1]} by {@code axis}
     * @param variance the output variances, shaped like {@code mean}; distinct from {@code x} and {@code mean}
     * @throws IllegalArgumentException if {@code axis} is {@link Axis#ALL}, an output has the wrong shape or
     *     an output is another argument
     */
    public final void moments(Axis axis, Tensor x, Tensor mean, Tensor variance) {
        dispatch.lock();
        try {
            String op = "moments";
            checkNormalizationAxis(op, axis);
            own(op, "x", x);
            own(op, "mean", mean);
            own(op, "variance", variance);
            shape(op, "mean", mean, axis.outputRows(x.rows()), axis.outputCols(x.cols()));
            shape(op, "variance", variance, axis.outputRows(x.rows()), axis.outputCols(x.cols()));
            distinct(op, "mean", mean, "x", x);
            distinct(op, "variance", variance, "x", x);
            distinct(op, "variance", variance, "mean", mean);
            momentsKernel(axis, x, mean, variance);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Normalization with given statistics: {@code y = (x - mean) / d * gamma + beta} with
     * {@code d = max(sqrt(variance + epsilon), floor)}, where {@code mean} and {@code variance} are per column
     * ({@link Axis#PER_COLUMN}, {@code [1 x cols]}: batch normalization, the Normalization layer) or per row
     * ({@link Axis#PER_ROW}, {@code [rows x 1]}: layer normalization) and {@code gamma}, {@code beta} per
     * column. Keras's batch and layer normalization are {@code floor = 0}; Keras's Normalization layer is
     * {@code epsilon = 0, floor = 1e-7} ({@code ops.maximum(ops.sqrt(variance), epsilon())}). The maximum lets
     * NaN win: a NaN variance gives a NaN {@code d}.
     *
     * @param axis which statistics broadcast: {@link Axis#PER_COLUMN} or {@link Axis#PER_ROW}; not null
     * @param epsilon added to the variance, finite and {@code >= 0}
     * @param floor the least denominator, finite and {@code >= 0}
     * @param x the input
     * @param mean the means, {@code [1 x cols]} or {@code [rows x 1]} by {@code axis}
     * @param variance the variances, shaped like {@code mean}
     * @param gamma the scale, {@code [1 x cols]}; null for 1 (Keras's {@code scale=False})
     * @param beta the offset, {@code [1 x cols]}; null for 0 (Keras's {@code center=False})
     * @param y the output, shaped like {@code x}; may be {@code x}, not one of the statistics or parameters
     * @throws IllegalArgumentException if {@code axis} is {@link Axis#ALL}, {@code epsilon} or {@code floor} is
     *     negative or not finite, a shape is wrong or {@code y} is a statistic or parameter
     */
    public final void normalize(Axis axis, float epsilon, float floor, Tensor x, Tensor mean, Tensor variance,
            Tensor gamma, Tensor beta, Tensor y) {
        dispatch.lock();
        try {
            String op = "normalize";
            checkNormalizationArguments(op, axis, epsilon, floor, x, mean, variance, gamma);
            if (beta != null) {
                own(op, "beta", beta);
                shape(op, "beta", beta, 1, x.cols());
            }
            own(op, "y", y);
            shape(op, "y", y, x.rows(), x.cols());
            distinctFromStatistics(op, "y", y, mean, variance, gamma, beta);
            normalizeKernel(axis, epsilon, floor, x, mean, variance, gamma, beta, y);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * The backward pass of {@link #normalize}: from {@code dy}, the gradient with respect to {@code y}, writes
     * {@code dgamma[c] = sum_r dy[r][c] xhat[r][c]} and {@code dbeta[c] = sum_r dy[r][c]} (each skipped when
     * null), with {@code xhat = (x - mean) / d}, then {@code dx}. With {@code batchStatistics} false the
     * statistics are constants (inference mode, a frozen layer, the Normalization layer):
     * {@code dx = dy gamma / d}. With {@code batchStatistics} true, {@code mean} and {@code variance} must be the
     * {@link #moments} of {@code x} along {@code axis} over {@code n} elements (rows for
     * {@link Axis#PER_COLUMN}, columns for {@link Axis#PER_ROW}), {@code floor} must be 0, and the gradient
     * flows through them: with {@code g = dy gamma},
     * {@code dx = (g - mean_n(g) - xhat mean_n(g xhat)) / d}, the means taken over the same {@code n} elements.
     * NaN in {@code x} or {@code dy} flows through these sums and products as IEEE arithmetic gives.
     *
     * @param axis the axis of {@link #normalize}'s statistics; not null
     * @param batchStatistics true when the statistics were computed from {@code x} and are differentiated
     * @param epsilon as in {@link #normalize}
     * @param floor as in {@link #normalize}; 0 when {@code batchStatistics}
     * @param x the forward input
     * @param mean the forward means
     * @param variance the forward variances
     * @param gamma the forward scale, or null for 1
     * @param dy the gradient with respect to the output, shaped like {@code x}
     * @param dgamma the output gradient of {@code gamma}, {@code [1 x cols]}, or null to skip it
     * @param dbeta the output gradient of {@code beta}, {@code [1 x cols]}, or null to skip it
     * @param dx the output gradient with respect to {@code x}, shaped like {@code x}; may be {@code dy}, not
     *     {@code x} or another argument
     * @throws IllegalArgumentException if a value is out of range, a shape is wrong or an output is another
     *     argument
     */
    public final void normalizeBackward(Axis axis, boolean batchStatistics, float epsilon, float floor, Tensor x,
            Tensor mean, Tensor variance, Tensor gamma, Tensor dy, Tensor dgamma, Tensor dbeta, Tensor dx) {
        dispatch.lock();
        try {
            String op = "normalizeBackward";
            checkNormalizationArguments(op, axis, epsilon, floor, x, mean, variance, gamma);
            if (batchStatistics && floor != 0f) {
                throw new IllegalArgumentException(op + ": argument 'floor' must be 0 with batch statistics, got "
                        + floor);
            }
            own(op, "dy", dy);
            shape(op, "dy", dy, x.rows(), x.cols());
            for (int i = 0; i < 2; i++) {
                Tensor g = i == 0 ? dgamma : dbeta;
                String arg = i == 0 ? "dgamma" : "dbeta";
                if (g != null) {
                    own(op, arg, g);
                    shape(op, arg, g, 1, x.cols());
                    distinctFromStatistics(op, arg, g, mean, variance, gamma, null);
                    distinct(op, arg, g, "x", x);
                    distinct(op, arg, g, "dy", dy);
                }
            }
            if (dgamma != null) {
                distinct(op, "dbeta", dbeta, "dgamma", dgamma);
            }
            own(op, "dx", dx);
            shape(op, "dx", dx, x.rows(), x.cols());
            distinct(op, "dx", dx, "x", x);
            distinctFromStatistics(op, "dx", dx, mean, variance, gamma, null);
            normalizeBackwardKernel(axis, batchStatistics, epsilon, floor, x, mean, variance, gamma, dy, dgamma,
                    dbeta, dx);
        } finally {
            dispatch.unlock();
        }
    }

    /**
     * Computes {@link #moments}; arguments checked.
     *
     * @param axis {@link Axis#PER_COLUMN} or {@link Axis#PER_ROW}
     * @param x the input
     * @param mean the output means
     * @param variance the output biased variances
     */
    protected abstract void momentsKernel(Axis axis, Tensor x, Tensor mean, Tensor variance);

    /**
     * Computes {@link #normalize}; arguments checked.
     *
     * @param axis {@link Axis#PER_COLUMN} or {@link Axis#PER_ROW}
     * @param epsilon added to the variance
     * @param floor the least denominator
     * @param x the input
     * @param mean the means
     * @param variance the variances
     * @param gamma the scale, or null for 1
     * @param beta the offset, or null for 0
     * @param y the output, possibly {@code x}
     */
    protected abstract void normalizeKernel(Axis axis, float epsilon, float floor, Tensor x, Tensor mean,
            Tensor variance, Tensor gamma, Tensor beta, Tensor y);

    /**
     * Computes {@link #normalizeBackward}; arguments checked. The parameter gradients are read from {@code dy}
     * before {@code dx} (possibly {@code dy}) is written.
     *
     * @param axis {@link Axis#PER_COLUMN} or {@link Axis#PER_ROW}
     * @param batchStatistics whether the gradient flows through the statistics
     * @param epsilon added to the variance
     * @param floor the least denominator (0 with batch statistics)
     * @param x the forward input
     * @param mean the forward means
     * @param variance the forward variances
     * @param gamma the scale, or null for 1
     * @param dy the gradient with respect to the output
     * @param dgamma the gradient of gamma, or null
     * @param dbeta the gradient of beta, or null
     * @param dx the gradient with respect to the input, possibly {@code dy}
     */
    protected abstract void normalizeBackwardKernel(Axis axis, boolean batchStatistics, float epsilon, float floor,
            Tensor x, Tensor mean, Tensor variance, Tensor gamma, Tensor dy, Tensor dgamma, Tensor dbeta, Tensor dx);

    private static void checkNormalizationAxis(String op, Axis axis) {
        // Not Objects.requireNonNull(axis, op + ...): that builds the message on every call of the hot path.
        if (axis == null) {
            throw new NullPointerException(op + ": argument 'axis' is null");
        }
        if (axis == Axis.ALL) {
            throw new IllegalArgumentException(op + ": argument 'axis' must be PER_COLUMN or PER_ROW, got ALL");
        }
    }

    /** The checks {@link #normalize} and {@link #normalizeBackward} share: axis, constants, x, statistics, gamma. */
    private void checkNormalizationArguments(String op, Axis axis, float epsilon, float floor, Tensor x, Tensor mean,
            Tensor variance, Tensor gamma) {
        checkNormalizationAxis(op, axis);
        if (!(epsilon >= 0f && Float.isFinite(epsilon))) {
            throw new IllegalArgumentException(op + ": argument 'epsilon' must be finite and >= 0, got " + epsilon);
        }
        if (!(floor >= 0f && Float.isFinite(floor))) {
            throw new IllegalArgumentException(op + ": argument 'floor' must be finite and >= 0, got " + floor);
        }
        own(op, "x", x);
        own(op, "mean", mean);
        own(op, "variance", variance);
        shape(op, "mean", mean, axis.outputRows(x.rows()), axis.outputCols(x.cols()));
        shape(op, "variance", variance, axis.outputRows(x.rows()), axis.outputCols(x.cols()));
        if (gamma != null) {
            own(op, "gamma", gamma);
            shape(op, "gamma", gamma, 1, x.cols());
        }
    }

    private static void distinctFromStatistics(String op, String arg, Tensor out, Tensor mean, Tensor variance,
            Tensor gamma, Tensor beta) {
        distinct(op, arg, out, "mean", mean);
        distinct(op, arg, out, "variance", variance);
        if (gamma != null) {
            distinct(op, arg, out, "gamma", gamma);
        }
        if (beta != null) {
            distinct(op, arg, out, "beta", beta);
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

    /**
     * True once {@link #close()} has been called.
     *
     * @return whether this backend is closed
     */
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return name + " (" + device() + ")";
    }

    // ---------------------------------------------------------------- what a backend implements

    /**
     * Allocates storage for a tensor; called under the dispatch lock with the backend open.
     *
     * @param shape the tensor's shape, already validated
     * @return a new tensor of this backend; contents undefined
     */
    protected abstract Tensor allocate(Shape shape);

    /**
     * Kernel of {@link #upload}: copies {@code t.size()} values from {@code src[offset..]} into {@code t}.
     *
     * @param t the tensor to write, checked
     * @param src the host values, row-major, long enough from {@code offset}
     * @param offset index in {@code src} of the first value
     */
    protected abstract void write(Tensor t, float[] src, int offset);

    /**
     * Kernel of {@link #download}: waits for pending operations, then copies {@code t} into {@code dst[offset..]}.
     *
     * @param t the tensor to read, checked
     * @param dst the host array, long enough from {@code offset}
     * @param offset index in {@code dst} of the first value written
     */
    protected abstract void read(Tensor t, float[] dst, int offset);

    /** Kernel of {@link #synchronize()}: blocks until every enqueued operation has finished. */
    protected abstract void finish();

    /**
     * Kernel of {@link #gemm}; arguments as there, already checked.
     *
     * @param transA whether {@code op(A)} is the transpose of {@code a}
     * @param transB whether {@code op(B)} is the transpose of {@code b}
     * @param alpha factor of the product
     * @param a the left matrix
     * @param b the right matrix
     * @param beta factor of the old C; with 0, C must not be read
     * @param c the output, distinct from {@code a} and {@code b}
     */
    protected abstract void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta,
            Tensor c);

    /**
     * Kernel of {@link #activation}; arguments already checked.
     *
     * @param f the activation
     * @param alpha the activation's parameter
     * @param x the input
     * @param y the output, shaped like {@code x}; may be {@code x}
     */
    protected abstract void activationKernel(Activation f, float alpha, Tensor x, Tensor y);

    /**
     * Kernel of {@link #activationBackward}; arguments already checked.
     *
     * @param f the activation, derivable from its output
     * @param alpha the activation's parameter
     * @param y the forward output
     * @param dy the upstream gradient
     * @param dx the output gradient; may be {@code y} or {@code dy}
     */
    protected abstract void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx);

    /**
     * Kernel of {@link #activationBackwardFromInput}; arguments already checked.
     *
     * @param f the activation
     * @param alpha the activation's parameter
     * @param x the forward input
     * @param dy the upstream gradient
     * @param dx the output gradient; may be {@code x} or {@code dy}
     */
    protected abstract void activationBackwardFromInputKernel(Activation f, float alpha, Tensor x, Tensor dy,
            Tensor dx);

    /**
     * Kernel of {@link #softmax}; arguments already checked.
     *
     * @param x the logits
     * @param y the output probabilities; may be {@code x}
     */
    protected abstract void softmaxKernel(Tensor x, Tensor y);

    /**
     * Kernel of {@link #logSoftmax}; arguments already checked.
     *
     * @param x the logits
     * @param y the output log-probabilities; may be {@code x}
     */
    protected abstract void logSoftmaxKernel(Tensor x, Tensor y);

    /**
     * Kernel of {@link #reduce}; arguments already checked.
     *
     * @param r how elements combine
     * @param axis which elements combine
     * @param x the input
     * @param out the output, of shape {@link Axis#outputShape}, distinct from {@code x}
     */
    protected abstract void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out);

    /**
     * Kernel of {@link #argmax}; arguments already checked.
     *
     * @param x the input
     * @param out the output {@code [rows x 1]} of column indices, distinct from {@code x}
     */
    protected abstract void argmaxKernel(Tensor x, Tensor out);

    /**
     * Kernel of {@link #binary}; arguments already checked.
     *
     * @param op the element-wise operation
     * @param a the left operand
     * @param b the right operand, shaped like {@code a} or a broadcast row, column or scalar
     * @param out the output, shaped like {@code a}
     */
    protected abstract void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /**
     * Kernel of {@link #axpby}; arguments already checked.
     *
     * @param alpha factor of {@code x}
     * @param x the input
     * @param beta factor of the old {@code y}; with 0, {@code y} must not be read
     * @param y the accumulator, updated in place
     */
    protected abstract void axpbyKernel(float alpha, Tensor x, float beta, Tensor y);

    /**
     * Kernel of {@link #fill}; arguments already checked.
     *
     * @param t the tensor to overwrite
     * @param value the value of every element
     */
    protected abstract void fillKernel(Tensor t, float value);

    /**
     * Kernel of {@link #randomFill}: must draw exactly the values of {@link CounterRandom}; arguments checked.
     *
     * @param t the tensor to overwrite
     * @param d the distribution
     * @param a UNIFORM's lower bound or NORMAL's mean
     * @param b UNIFORM's upper bound or NORMAL's standard deviation
     * @param seed the generator's seed
     */
    protected abstract void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed);

    /**
     * Kernel of {@link #dropout}; arguments already checked.
     *
     * @param rate fraction dropped, in {@code [0, 1)}
     * @param seed the mask's seed
     * @param x the input
     * @param y the output; may be {@code x}
     */
    protected abstract void dropoutKernel(float rate, long seed, Tensor x, Tensor y);

    /**
     * Kernel of {@link #elementLoss(ElementLoss, float, float, float, Tensor, Tensor, Tensor, Tensor)};
     * arguments already checked.
     *
     * @param kind the loss
     * @param param Huber's delta or the focal gamma
     * @param param2 the balanced focal loss's alpha
     * @param scale factor of loss and gradient
     * @param pred the predictions
     * @param target the targets
     * @param loss the output per-element loss
     * @param grad the output gradient with respect to {@code pred}
     */
    protected abstract void elementLossKernel(ElementLoss kind, float param, float param2, float scale, Tensor pred,
            Tensor target, Tensor loss, Tensor grad);

    /**
     * Kernel of {@link #rowLoss}; arguments already checked.
     *
     * @param kind the loss
     * @param scale factor of loss and gradient
     * @param pred the predictions
     * @param target the targets
     * @param loss the output per-element shares of the loss
     * @param grad the output gradient with respect to {@code pred}
     */
    protected abstract void rowLossKernel(RowLoss kind, float scale, Tensor pred, Tensor target, Tensor loss,
            Tensor grad);

    /**
     * Kernel of {@link #crossEntropyWithLogits}; arguments already checked, every output distinct.
     *
     * @param kind SOFTMAX or SIGMOID
     * @param clip whether to clip the probabilities as Keras's {@code from_logits=False}
     * @param scale factor of loss and gradient
     * @param logits the pre-activation outputs
     * @param target the targets
     * @param probs the output probabilities
     * @param loss the output per-element loss
     * @param grad the output gradient with respect to {@code logits}
     */
    protected abstract void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits,
            Tensor target, Tensor probs, Tensor loss, Tensor grad);

    /**
     * The step of {@link #optimizerUpdate}; {@code sumSquares} is null unless {@code clip} reads it.
     * Arguments already checked.
     *
     * @param rule the update rule
     * @param c the rule's coefficients, {@link UpdateRule#coefficients()} of them
     * @param l1 the L1 factor, {@code >= 0}
     * @param l2 the L2 factor, {@code >= 0}
     * @param clip the gradient clipping
     * @param clipAt the clipping threshold
     * @param sumSquares the {@code [1 x 1]} sum of squares, or null when {@code clip} does not read it
     * @param decay the decoupled weight decay factor, {@code >= 0}
     * @param w the parameter, updated in place
     * @param g the gradient, only read
     * @param slots the rule's state tensors, updated in place
     */
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

    /** Checks that {@code t} is an open tensor of this backend (and this backend open); for every op's checks. */
    final void own(String op, String arg, Tensor t) {
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
    static void shape(String op, String arg, Tensor t, int rows, int cols) {
        if (t.rows() != rows || t.cols() != cols) {
            shape(op, arg, t, Shape.of(rows, cols));
        }
    }

    static void shape(String op, String arg, Tensor t, Shape expected) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' must be " + expected + ", got "
                    + t.shape());
        }
    }

    static void distinct(String op, String arg, Tensor t, String otherArg, Tensor other) {
        if (t == other) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' must be a different tensor from '"
                    + otherArg + "'");
        }
    }

    private static void checkRange(String op, String arg, int length, int offset, int count) {
        if (offset < 0 || (long) offset + count > length) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' needs " + count
                    + " values from offset " + offset + " (length >= " + ((long) offset + count) + "), got length "
                    + length + (offset < 0 ? " and a negative offset" : ""));
        }
    }
}
