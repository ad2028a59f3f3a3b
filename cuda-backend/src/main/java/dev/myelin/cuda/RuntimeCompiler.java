package dev.myelin.cuda;

import java.util.List;

/**
 * NVRTC, CUDA's run-time compiler, behind whichever binding can load the installed library:
 * {@link JNvrtcCompiler} (NVRTC 12) or {@link ForeignNvrtc} (any NVRTC, through
 * {@code java.lang.foreign}).
 */
interface RuntimeCompiler {

    /** NVRTC's version, e.g. {@code 13.0}. */
    String version();

    /** The architectures this NVRTC compiles for, as {@code 10 major + minor} (75, 80, 86, 90, ...). */
    int[] supportedArchs();

    /**
     * Compiles {@code source} (named {@code name} in messages) with {@code options} and returns the
     * image {@code cuModuleLoadData} takes: a CUBIN when {@code cubin}, else NUL-terminated PTX.
     *
     * @throws KernelCompileException with NVRTC's log when the source does not compile
     */
    byte[] compile(String source, String name, List<String> options, boolean cubin);

    /** The library and binding, e.g. "NVRTC 13.0 via java.lang.foreign". */
    String description();
}
