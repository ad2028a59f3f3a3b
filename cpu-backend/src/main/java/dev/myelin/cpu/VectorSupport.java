package dev.myelin.cpu;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the JDK Vector API can be used in this JVM. The API is an incubator module that must be
 * added with {@code --add-modules jdk.incubator.vector}; without it no class that touches
 * {@code jdk.incubator.vector} may be loaded, so the classes that do are only reached through
 * {@link #vectorKernels()}, by name.
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

    private static Kernels vectorKernels() {
        try {
            // Loaded by name so that the scalar path never resolves a Vector API class.
            return (Kernels) Class.forName("dev.myelin.cpu.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the Vector API kernels", e);
        }
    }
}
