package dev.myelin.cpu;

/**
 * Whether the JDK Vector API can be used in this JVM. The API is an incubator module that must be
 * added with {@code --add-modules jdk.incubator.vector}; without it no class that touches
 * {@code jdk.incubator.vector} may be loaded, so the classes that do are only reached through
 * {@link #vectorKernels()}, by name.
 */
final class VectorSupport {

    static final String MODULE = "jdk.incubator.vector";
    static final String SCALAR_DETAIL = "scalar path: add --add-modules " + MODULE;

    private VectorSupport() {
    }

    /** True when the incubator module is in the boot layer. */
    static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** The kernels for this JVM: Vector API kernels when the module is present, scalar ones otherwise. */
    static Kernels kernels() {
        return available() ? vectorKernels() : new ScalarKernels();
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
