package dev.myelin.bench;

import dev.myelin.Backends;
import dev.myelin.spi.Backend;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The state every Myelin benchmark shares: one backend instance, opened once per trial with the
 * requested CPU thread count, and closed after it.
 *
 * <p>JMH cannot skip a parameter value, so the launchers ({@link BenchMain}, {@link BenchRunner})
 * pass {@code -p backend=} with only the backends that can run here; an unavailable backend named
 * explicitly fails its trial with the probe's reason.
 *
 * <p>Every suite forks its JVM with {@code -XX:+UseTransparentHugePages}, as {@code ./myelin} starts
 * its own: the tensors here are megabytes of heap, and streaming ops read them faster from 2 MiB
 * pages (fewer TLB misses). Two JVMs, one with the flag, alternating 0.3 s slices over 12 rounds on
 * the CPU backend at 4096x1024: relu 1.16x (one thread) and 1.13x (two), sum 1.12x and 1.22x,
 * softmax 1.07x and 1.10x, sigmoid and tanh 1.01x to 1.05x; SGEMM 0.98x to 1.04x. Where the kernel
 * offers no transparent huge pages, the JVM prints one warning and runs on as without the flag.
 */
@State(Scope.Thread)
public abstract class BackendBenchmark {

    /** System property the CPU backend reads, when it is created, for its worker thread count. */
    public static final String THREADS_PROPERTY = "myelin.threads";

    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    /** Worker threads of the CPU backend; GPU backends ignore it (the runners pass 1 for them). */
    @Param({"1", "2"})
    public int threads;

    protected Backend b;

    @Setup(Level.Trial)
    public final void openBackend() {
        System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
        b = Backends.open(backend);
        prepare();
        b.synchronize();
    }

    @TearDown(Level.Trial)
    public final void closeBackend() {
        if (b != null) {
            release();
            b.close();
            b = null;
        }
    }

    /** Allocates and fills the benchmark's tensors on {@link #b}; runs once per trial. */
    protected abstract void prepare();

    /** Frees what {@link #prepare()} made that the backend's close does not (a model); runs once per trial. */
    protected void release() {
    }

    /** Parses {@code "ROWSxCOLS"} (a size parameter). */
    static int[] dims(String param, String value) {
        String[] p = value.split("x");
        if (p.length != 2) {
            throw new IllegalArgumentException(param + ": expected ROWSxCOLS, got '" + value + "'");
        }
        return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
    }
}
