package dev.myelin.cpu;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the JDK Vector API can be used in this JVM. The API is an incubator module that must be
 * added with {@code --add-modules jdk.incubator.vector}; without it no class that touches
 * {@code jdk.incubator.vector} may be loaded, so the classes that do are only reached through
 * {@link #kernels()} and {@link #normalizationLoops()}, by name.
 */
final class VectorSupport {

    static final String MODULE = "jdk.incubator.vector";
    static final String SCALAR_DETAIL = "scalar path: add --add-modules " + MODULE;
    /** Logged once per JVM: a user who forgot the flag otherwise sees only a slow program. */
    static final String SCALAR_WARNING = "the CPU backend runs its scalar path because the JVM was started without"
            + " --add-modules " + MODULE + ": about 10x slower (a 1024x1024x1024 SGEMM took 358 ms instead of"
            + " 36.6 ms with the Vector API); add the flag to the java command line";

    private static final System.Logger LOG = System.getLogger("dev.myelin.cpu");
    private static final AtomicBoolean SCALAR_WARNED = new AtomicBoolean();

    private VectorSupport() {
    }

    /** True when the incubator module is in the boot layer. */
    static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** The kernels for this JVM: Vector API kernels when the module is present, scalar ones otherwise. */
    static Kernels kernels() {
        if (available()) {
            return vectorKernels();
        }
        if (SCALAR_WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, SCALAR_WARNING);
        }
        return new ScalarKernels();
    }

    /** The normalization loops for this JVM: Vector API loops when the module is present, plain Java otherwise. */
    static NormalizationLoops normalizationLoops() {
        return available() ? vectorClass("dev.myelin.cpu.VectorNormalizationLoops", NormalizationLoops.class)
                : new NormalizationLoops();
    }

    private static Kernels vectorKernels() {
        return vectorClass("dev.myelin.cpu.VectorKernels", Kernels.class);
    }

    /** A new instance of the Vector API class {@code name}, loaded by name so the scalar path never resolves it. */
    private static <T> T vectorClass(String name, Class<T> type) {
        try {
            return type.cast(Class.forName(name).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the Vector API class " + name, e);
        }
    }
}
