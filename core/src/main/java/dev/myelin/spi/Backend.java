package dev.myelin.spi;

import dev.myelin.Scope;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A compute backend: owns tensors and runs the kernels a dense network needs on them.
 *
 * <p>Every public operation checks its arguments here, once for all backends (a message names the
 * argument, the expected and the actual value), then calls the backend's kernel. Operations are
 * enqueued in order; only host reads ({@link Tensor#toArray()}) and {@link #synchronize()} wait.
 * A backend instance is used by one thread at a time; backends may use more threads inside a kernel.
 *
 * <p>Outputs are written in full and inputs are never modified, except where an argument is
 * documented as updated in place. Element-wise ops accept an output that is the same tensor as an
 * input; GEMM and the fused losses need distinct outputs.
 *
 * <p>Implementations extend this class and provide the protected kernels; a
 * {@link BackendProvider} registered in {@code META-INF/services} makes them selectable.
 */
public abstract class Backend implements AutoCloseable {

    private final String name;
    /** Tensors allocated and not yet closed (a count: holding references would keep unclosed tensors alive). */
    private final AtomicInteger live = new AtomicInteger();
    private final ThreadLocal<ArrayDeque<Scope>> scopes = ThreadLocal.withInitial(ArrayDeque::new);
    private volatile boolean closed;

    /**
     * A backend registered under {@code name}.
     *
     * @param name the provider name
     */
    protected Backend(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * The provider name: {@code cpu}, {@code opencl} or {@code cuda}.
     *
     * @return the name
     */
    public final String name() {
        return name;
    }

    /**
     * The device this backend runs on, in words (model, compute units, vector width, threads...).
     *
     * @return the device's description
     */
    public abstract String device();

    // ---------------------------------------------------------------- memory

    /**
     * A new tensor of {@code rows x cols}; its contents are undefined until written.
     *
     * @param rows number of rows, at least 1
     * @param cols number of columns, at least 1
     * @return a new tensor owned by this backend
     */
    public final Tensor tensor(int rows, int cols) {
        return tensor(new Shape(rows, cols));
    }

    /**
     * A new tensor of {@code shape}; its contents are undefined until written.
     *
     * @param shape the tensor's shape
     * @return a new tensor owned by this backend
     */
    public final Tensor tensor(Shape shape) {
        ensureOpen();
        Objects.requireNonNull(shape, "shape");
        Tensor t = allocate(shape);
        live.incrementAndGet();
        Scope scope = scopes.get().peek();
        if (scope != null) {
            scope.track(t);
        }
        return t;
    }

    /**
     * A new tensor of {@code rows x cols} holding {@code values} (row-major, length rows*cols).
     *
     * @param rows number of rows, at least 1
     * @param cols number of columns, at least 1
     * @param values the {@code rows * cols} values
     * @return a new tensor owned by this backend
     */
    public final Tensor tensor(int rows, int cols, float[] values) {
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
     * @return the scope, to close with try-with-resources
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
     * @return the live tensor count
     */
    public final int liveTensors() {
        return live.get();
    }

    /**
     * Called once by {@link Tensor#close()} after it marks the tensor closed; not for users.
     *
     * @param t the tensor just closed
     */
    public final void released(Tensor t) {
        if (t.backend() == this && t.isClosed()) {
            live.decrementAndGet();
        }
    }

    /**
     * Copies {@code t.size()} values from {@code src[offset..]} into {@code t}.
     *
     * @param t the destination, owned by this backend
     * @param src the values, row-major
     * @param offset index in {@code src} of the first value
     */
    public final void upload(Tensor t, float[] src, int offset) {
        String op = "copyFrom";
        own(op, "tensor", t);
        Objects.requireNonNull(src, "copyFrom: argument 'src' is null");
        checkRange(op, "src", src.length, offset, t.size());
        write(t, src, offset);
    }

    /**
     * Copies the values of {@code t} into {@code dst[offset..]}; waits for pending operations.
     *
     * @param t the source, owned by this backend
     * @param dst the array to fill
     * @param offset index in {@code dst} of the first value written
     */
    public final void download(Tensor t, float[] dst, int offset) {
        String op = "copyTo";
        own(op, "tensor", t);
        Objects.requireNonNull(dst, "copyTo: argument 'dst' is null");
        checkRange(op, "dst", dst.length, offset, t.size());
        read(t, dst, offset);
    }

    /** Waits until every enqueued operation has finished. */
    public final void synchronize() {
        ensureOpen();
        finish();
    }

    // ---------------------------------------------------------------- operations

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is {@code X} or its transpose.
     * {@code C} is {@code [m x n]}, {@code op(A)} {@code [m x k]}, {@code op(B)} {@code [k x n]}.
     * With {@code beta == 0} C is not read (NaN in C does not propagate). C must not be A or B.
     *
     * @param transA whether {@code op(A)} is {@code A}'s transpose
     * @param transB whether {@code op(B)} is {@code B}'s transpose
     * @param alpha the product's factor
     * @param a the matrix {@code A}
     * @param b the matrix {@code B}
     * @param beta the factor of {@code C}'s old value
     * @param c the output {@code C}, updated in place
     */
    public final void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
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
    }

    /**
     * {@code y = f(x)} element-wise; {@code alpha} is the activation's parameter (see {@link Activation}).
     *
     * @param f the activation
     * @param alpha its parameter
     * @param x the input
     * @param y the output, shaped like {@code x}
     */
    public final void activation(Activation f, float alpha, Tensor x, Tensor y) {
        String op = "activation";
        Objects.requireNonNull(f, "activation: argument 'f' is null");
        checkAlpha(op, f, alpha);
        own(op, "x", x);
        own(op, "y", y);
        shape(op, "y", y, x.shape());
        activationKernel(f, alpha, x, y);
    }

    /**
     * {@code dx = dy * f'(x)}, with the derivative written in terms of the forward output {@code y}.
     *
     * @param f the activation
     * @param alpha its parameter
     * @param y the forward output
     * @param dy the gradient with respect to {@code y}
     * @param dx the output: the gradient with respect to {@code x}
     */
    public final void activationBackward(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        Objects.requireNonNull(f, "activationBackward: argument 'f' is null");
        checkAlpha(op, f, alpha);
        own(op, "y", y);
        own(op, "dy", dy);
        own(op, "dx", dx);
        shape(op, "dy", dy, y.shape());
        shape(op, "dx", dx, y.shape());
        activationBackwardKernel(f, alpha, y, dy, dx);
    }

    /**
     * Row-wise softmax, max-subtracted: {@code y[i,j] = e^(x[i,j] - max_i) / sum_j e^(x[i,j] - max_i)}.
     *
     * @param x the input
     * @param y the output, shaped like {@code x}
     */
    public final void softmax(Tensor x, Tensor y) {
        String op = "softmax";
        own(op, "x", x);
        own(op, "y", y);
        shape(op, "y", y, x.shape());
        softmaxKernel(x, y);
    }

    /**
     * Reduces {@code x} along {@code axis} into {@code out} (shape {@link Axis#outputShape}).
     *
     * @param r the reduction
     * @param axis what it combines
     * @param x the input
     * @param out the output
     */
    public final void reduce(Reduction r, Axis axis, Tensor x, Tensor out) {
        String op = "reduce";
        Objects.requireNonNull(r, "reduce: argument 'reduction' is null");
        Objects.requireNonNull(axis, "reduce: argument 'axis' is null");
        own(op, "x", x);
        own(op, "out", out);
        distinct(op, "out", out, "x", x);
        shape(op, "out", out, axis.outputRows(x.rows()), axis.outputCols(x.cols()));
        reduceKernel(r, axis, x, out);
    }

    /**
     * Index of the largest element of each row of {@code x} (the first on ties) into {@code out [rows x 1]}.
     *
     * @param x the input
     * @param out the output, {@code [rows x 1]}
     */
    public final void argmax(Tensor x, Tensor out) {
        String op = "argmax";
        own(op, "x", x);
        own(op, "out", out);
        distinct(op, "out", out, "x", x);
        shape(op, "out", out, x.rows(), 1);
        argmaxKernel(x, out);
    }

    /**
     * {@code out = a op b} element-wise. {@code b} is either shaped like {@code a}, or broadcast: a row
     * {@code [1 x cols]} (added to every row, e.g. a bias), a column {@code [rows x 1]}, or a scalar {@code [1 x 1]}.
     *
     * @param bop the operation
     * @param a the left operand
     * @param b the right operand, shaped like {@code a} or broadcast
     * @param out the output, shaped like {@code a}
     */
    public final void binary(BinaryOp bop, Tensor a, Tensor b, Tensor out) {
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
    }

    /**
     * {@code y = alpha * x + beta * y}; with {@code beta == 0} y is not read.
     *
     * @param alpha the factor of {@code x}
     * @param x the input
     * @param beta the factor of {@code y}'s old value
     * @param y the output, updated in place
     */
    public final void axpby(float alpha, Tensor x, float beta, Tensor y) {
        String op = "axpby";
        own(op, "x", x);
        own(op, "y", y);
        shape(op, "y", y, x.shape());
        axpbyKernel(alpha, x, beta, y);
    }

    /**
     * Sets every element of {@code t} to {@code value}.
     *
     * @param t the tensor
     * @param value the value
     */
    public final void fill(Tensor t, float value) {
        own("fill", "t", t);
        fillKernel(t, value);
    }

    /**
     * Fills {@code t} from {@link CounterRandom}: element {@code i} (row-major) depends only on
     * {@code (seed, i)}, so every backend draws the same values. UNIFORM on {@code [a, b)}; NORMAL with
     * mean {@code a}, standard deviation {@code b}.
     *
     * @param t the tensor to fill
     * @param d the distribution
     * @param a the distribution's first parameter
     * @param b the distribution's second parameter
     * @param seed the seed
     */
    public final void randomFill(Tensor t, Distribution d, float a, float b, long seed) {
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
    }

    /**
     * Inverted dropout: {@code y[i] = uniform(seed, i) >= rate ? x[i] / (1 - rate) : 0} with
     * {@link CounterRandom#uniform}. The same call with the same seed applied to the upstream gradient
     * is the backward pass.
     *
     * @param rate the fraction to drop, in [0, 1)
     * @param seed the mask's seed
     * @param x the input
     * @param y the output, shaped like {@code x}
     */
    public final void dropout(float rate, long seed, Tensor x, Tensor y) {
        String op = "dropout";
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(op + ": argument 'rate' must be in [0, 1), got " + rate);
        }
        own(op, "x", x);
        own(op, "y", y);
        shape(op, "y", y, x.shape());
        dropoutKernel(rate, seed, x, y);
    }

    /**
     * Per-element loss and its gradient (see {@link ElementLoss}): {@code loss[i] = scale * l(p[i], t[i])},
     * {@code grad[i] = scale * dl/dp}. {@code param} is Huber's delta (ignored by the others).
     *
     * @param kind the loss
     * @param param the loss's parameter (Huber's delta), else 0
     * @param scale the factor of the loss and the gradient
     * @param pred the predictions
     * @param target the targets, shaped like {@code pred}
     * @param loss the output: the per-element loss
     * @param grad the output: the gradient with respect to {@code pred}
     */
    public final void elementLoss(ElementLoss kind, float param, float scale, Tensor pred, Tensor target,
            Tensor loss, Tensor grad) {
        String op = "elementLoss";
        Objects.requireNonNull(kind, "elementLoss: argument 'kind' is null");
        if (kind == ElementLoss.HUBER && !(param > 0)) {
            throw new IllegalArgumentException(op + ": HUBER needs delta (param) > 0, got " + param);
        }
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
        elementLossKernel(kind, param, scale, pred, target, loss, grad);
    }

    /**
     * Fused output activation + cross-entropy (see {@link LogitsLoss}): writes the probabilities,
     * the per-element loss times {@code scale} and the gradient with respect to the logits.
     *
     * @param kind the output activation
     * @param clip whether to clip the probabilities as Keras does
     * @param scale the factor of the loss and the gradient
     * @param logits the model's outputs before the activation
     * @param target the targets, shaped like {@code logits}
     * @param probs the output: the probabilities
     * @param loss the output: the per-element loss
     * @param grad the output: the gradient with respect to {@code logits}
     */
    public final void crossEntropyWithLogits(LogitsLoss kind, boolean clip, float scale, Tensor logits,
            Tensor target, Tensor probs, Tensor loss, Tensor grad) {
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
    }

    /**
     * One fused optimizer step for parameter {@code w} with gradient {@code g} (see {@link UpdateRule}):
     * updates {@code w} and the rule's {@code slots} in place; {@code g} is only read.
     *
     * @param rule the update rule
     * @param c the rule's coefficients for this step
     * @param l1 the L1 penalty's factor
     * @param l2 the L2 penalty's factor
     * @param w the parameter, updated in place
     * @param g the gradient, shaped like {@code w}
     * @param slots the rule's state, shaped like {@code w}, updated in place
     */
    public final void optimizerUpdate(UpdateRule rule, float[] c, float l1, float l2, Tensor w, Tensor g,
            Tensor... slots) {
        String op = "optimizerUpdate";
        Objects.requireNonNull(rule, "optimizerUpdate: argument 'rule' is null");
        Objects.requireNonNull(c, "optimizerUpdate: argument 'c' is null");
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
        optimizerUpdateKernel(rule, c, l1, l2, w, g, slots);
    }

    /** Frees the backend's resources (contexts, queues, thread pools). Idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            shutdown();
        }
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
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
     * Allocates the storage of a new tensor; the contents may be anything.
     *
     * @param shape the tensor's shape
     * @return the tensor
     */
    protected abstract Tensor allocate(Shape shape);

    /**
     * Copies {@code t.size()} host values into {@code t} (arguments already checked).
     *
     * @param t the destination
     * @param src the values
     * @param offset index in {@code src} of the first value
     */
    protected abstract void write(Tensor t, float[] src, int offset);

    /**
     * Copies {@code t}'s values to the host after the pending operations (arguments already checked).
     *
     * @param t the source
     * @param dst the array to fill
     * @param offset index in {@code dst} of the first value written
     */
    protected abstract void read(Tensor t, float[] dst, int offset);

    /** Waits until every enqueued operation has finished. */
    protected abstract void finish();

    /**
     * The kernel of {@link #gemm}; arguments already checked.
     *
     * @param transA whether {@code op(A)} is {@code A}'s transpose
     * @param transB whether {@code op(B)} is {@code B}'s transpose
     * @param alpha the product's factor
     * @param a the matrix {@code A}
     * @param b the matrix {@code B}
     * @param beta the factor of {@code C}'s old value
     * @param c the output {@code C}
     */
    protected abstract void gemmKernel(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta,
            Tensor c);

    /**
     * The kernel of {@link #activation}; arguments already checked.
     *
     * @param f the activation
     * @param alpha its parameter
     * @param x the input
     * @param y the output
     */
    protected abstract void activationKernel(Activation f, float alpha, Tensor x, Tensor y);

    /**
     * The kernel of {@link #activationBackward}; arguments already checked.
     *
     * @param f the activation
     * @param alpha its parameter
     * @param y the forward output
     * @param dy the gradient with respect to {@code y}
     * @param dx the output
     */
    protected abstract void activationBackwardKernel(Activation f, float alpha, Tensor y, Tensor dy, Tensor dx);

    /**
     * The kernel of {@link #softmax}; arguments already checked.
     *
     * @param x the input
     * @param y the output
     */
    protected abstract void softmaxKernel(Tensor x, Tensor y);

    /**
     * The kernel of {@link #reduce}; arguments already checked.
     *
     * @param r the reduction
     * @param axis what it combines
     * @param x the input
     * @param out the output
     */
    protected abstract void reduceKernel(Reduction r, Axis axis, Tensor x, Tensor out);

    /**
     * The kernel of {@link #argmax}; arguments already checked.
     *
     * @param x the input
     * @param out the output
     */
    protected abstract void argmaxKernel(Tensor x, Tensor out);

    /**
     * The kernel of {@link #binary}; arguments already checked.
     *
     * @param op the operation
     * @param a the left operand
     * @param b the right operand, shaped like {@code a} or broadcast
     * @param out the output
     */
    protected abstract void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /**
     * The kernel of {@link #axpby}; arguments already checked.
     *
     * @param alpha the factor of {@code x}
     * @param x the input
     * @param beta the factor of {@code y}'s old value
     * @param y the output
     */
    protected abstract void axpbyKernel(float alpha, Tensor x, float beta, Tensor y);

    /**
     * The kernel of {@link #fill}; arguments already checked.
     *
     * @param t the tensor
     * @param value the value
     */
    protected abstract void fillKernel(Tensor t, float value);

    /**
     * The kernel of {@link #randomFill}; arguments already checked.
     *
     * @param t the tensor
     * @param d the distribution
     * @param a the distribution's first parameter
     * @param b the distribution's second parameter
     * @param seed the seed
     */
    protected abstract void randomFillKernel(Tensor t, Distribution d, float a, float b, long seed);

    /**
     * The kernel of {@link #dropout}; arguments already checked.
     *
     * @param rate the fraction to drop
     * @param seed the mask's seed
     * @param x the input
     * @param y the output
     */
    protected abstract void dropoutKernel(float rate, long seed, Tensor x, Tensor y);

    /**
     * The kernel of {@link #elementLoss}; arguments already checked.
     *
     * @param kind the loss
     * @param param the loss's parameter
     * @param scale the factor of the loss and the gradient
     * @param pred the predictions
     * @param target the targets
     * @param loss the output: the per-element loss
     * @param grad the output: the gradient
     */
    protected abstract void elementLossKernel(ElementLoss kind, float param, float scale, Tensor pred, Tensor target,
            Tensor loss, Tensor grad);

    /**
     * The kernel of {@link #crossEntropyWithLogits}; arguments already checked.
     *
     * @param kind the output activation
     * @param clip whether to clip the probabilities
     * @param scale the factor of the loss and the gradient
     * @param logits the model's outputs before the activation
     * @param target the targets
     * @param probs the output: the probabilities
     * @param loss the output: the per-element loss
     * @param grad the output: the gradient
     */
    protected abstract void crossEntropyKernel(LogitsLoss kind, boolean clip, float scale, Tensor logits,
            Tensor target, Tensor probs, Tensor loss, Tensor grad);

    /**
     * The kernel of {@link #optimizerUpdate}; arguments already checked.
     *
     * @param rule the update rule
     * @param c the rule's coefficients
     * @param l1 the L1 penalty's factor
     * @param l2 the L2 penalty's factor
     * @param w the parameter
     * @param g the gradient
     * @param slots the rule's state
     */
    protected abstract void optimizerUpdateKernel(UpdateRule rule, float[] c, float l1, float l2, Tensor w, Tensor g,
            Tensor[] slots);

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
