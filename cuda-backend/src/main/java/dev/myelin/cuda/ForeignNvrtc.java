package dev.myelin.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NVRTC through the JDK's foreign-function API, for any installed major version (CUDA 13's
 * {@code libnvrtc.so.13}, which JNvrtc 12.6 cannot load, or CUDA 12's). The prototypes are those
 * of {@code nvrtc.h}; {@code nvrtcResult} is a C {@code int}, {@code nvrtcProgram} a pointer:
 *
 * <pre>
 * nvrtcResult nvrtcVersion(int *major, int *minor);
 * nvrtcResult nvrtcGetNumSupportedArchs(int *numArchs);
 * nvrtcResult nvrtcGetSupportedArchs(int *supportedArchs);
 * nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders,
 *                                const char * const *headers, const char * const *includeNames);
 * nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char * const *options);
 * nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet);
 * nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx);
 * nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t *cubinSizeRet);
 * nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char *cubin);
 * nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet);
 * nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log);
 * nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog);
 * const char *nvrtcGetErrorString(nvrtcResult result);
 * </pre>
 */
final class ForeignNvrtc implements RuntimeCompiler {

    /** {@code size_t} as this platform's C compiler lays it out. */
    static final ValueLayout SIZE_T = (ValueLayout) Linker.nativeLinker().canonicalLayouts().get("size_t");

    /** The bound symbols and their C signatures, in one place for the binding and its tests. */
    static final Map<String, FunctionDescriptor> SIGNATURES = signatures();

    private final Map<String, MethodHandle> calls = new HashMap<>();
    private final Path library;
    private final String version;
    private final int[] archs;

    ForeignNvrtc(Path library) {
        this.library = library;
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        for (Map.Entry<String, FunctionDescriptor> e : SIGNATURES.entrySet()) {
            MemorySegment symbol = lookup.find(e.getKey()).orElseThrow(
                    () -> new CudaException("symbol " + e.getKey() + " not found in " + library));
            calls.put(e.getKey(), linker.downcallHandle(symbol, e.getValue()));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(JAVA_INT);
            MemorySegment minor = arena.allocate(JAVA_INT);
            check(call("nvrtcVersion", major, minor), "nvrtcVersion");
            version = major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
            MemorySegment count = arena.allocate(JAVA_INT);
            check(call("nvrtcGetNumSupportedArchs", count), "nvrtcGetNumSupportedArchs");
            int n = count.get(JAVA_INT, 0);
            MemorySegment list = arena.allocate(JAVA_INT, Math.max(n, 1));
            check(call("nvrtcGetSupportedArchs", list), "nvrtcGetSupportedArchs");
            archs = list.asSlice(0, JAVA_INT.byteSize() * n).toArray(JAVA_INT);
        }
    }

    private static Map<String, FunctionDescriptor> signatures() {
        AddressLayout p = ADDRESS;
        Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put("nvrtcVersion", FunctionDescriptor.of(JAVA_INT, p, p));
        m.put("nvrtcGetNumSupportedArchs", FunctionDescriptor.of(JAVA_INT, p));
        m.put("nvrtcGetSupportedArchs", FunctionDescriptor.of(JAVA_INT, p));
        m.put("nvrtcCreateProgram", FunctionDescriptor.of(JAVA_INT, p, p, p, JAVA_INT, p, p));
        m.put("nvrtcCompileProgram", FunctionDescriptor.of(JAVA_INT, p, JAVA_INT, p));
        m.put("nvrtcGetPTXSize", FunctionDescriptor.of(JAVA_INT, p, p));
        m.put("nvrtcGetPTX", FunctionDescriptor.of(JAVA_INT, p, p));
        m.put("nvrtcGetCUBINSize", FunctionDescriptor.of(JAVA_INT, p, p));
        m.put("nvrtcGetCUBIN", FunctionDescriptor.of(JAVA_INT, p, p));
        m.put("nvrtcGetProgramLogSize", FunctionDescriptor.of(JAVA_INT, p, p));
        m.put("nvrtcGetProgramLog", FunctionDescriptor.of(JAVA_INT, p, p));
        m.put("nvrtcDestroyProgram", FunctionDescriptor.of(JAVA_INT, p));
        m.put("nvrtcGetErrorString", FunctionDescriptor.of(p.withTargetLayout(
                MemoryLayout.sequenceLayout(Long.MAX_VALUE, JAVA_BYTE)), JAVA_INT));
        return Map.copyOf(m);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public int[] supportedArchs() {
        return archs.clone();
    }

    @Override
    public byte[] compile(String source, String name, List<String> options, boolean cubin) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment programOut = arena.allocate(ADDRESS);
            check(call("nvrtcCreateProgram", programOut, arena.allocateFrom(source), arena.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram");
            MemorySegment program = programOut.get(ADDRESS, 0);
            try {
                MemorySegment optionArray = arena.allocate(ADDRESS, Math.max(options.size(), 1));
                for (int i = 0; i < options.size(); i++) {
                    optionArray.setAtIndex(ADDRESS, i, arena.allocateFrom(options.get(i)));
                }
                int result = call("nvrtcCompileProgram", program, options.size(), optionArray);
                if (result != 0) {
                    throw new KernelCompileException("NVRTC " + version + " could not compile " + name + " ("
                            + errorString(result) + ", options " + options + "):\n"
                            + text(arena, program, "nvrtcGetProgramLogSize", "nvrtcGetProgramLog"));
                }
                String sizeCall = cubin ? "nvrtcGetCUBINSize" : "nvrtcGetPTXSize";
                String getCall = cubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX";
                // The PTX size counts its terminating NUL, which cuModuleLoadData needs.
                return bytes(arena, program, sizeCall, getCall);
            } finally {
                programOut.set(ADDRESS, 0, program);
                call("nvrtcDestroyProgram", programOut);
            }
        }
    }

    @Override
    public String description() {
        return "NVRTC " + version + " (" + library + ") via java.lang.foreign";
    }

    private byte[] bytes(Arena arena, MemorySegment program, String sizeCall, String getCall) {
        MemorySegment size = arena.allocate(SIZE_T);
        check(call(sizeCall, program, size), sizeCall);
        long n = SIZE_T.byteSize() == 8 ? size.get(ValueLayout.JAVA_LONG, 0) : size.get(JAVA_INT, 0);
        MemorySegment buffer = arena.allocate(Math.max(n, 1));
        check(call(getCall, program, buffer), getCall);
        return buffer.asSlice(0, n).toArray(JAVA_BYTE);
    }

    private String text(Arena arena, MemorySegment program, String sizeCall, String getCall) {
        byte[] b = bytes(arena, program, sizeCall, getCall);
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private String errorString(int result) {
        try {
            MemorySegment s = (MemorySegment) calls.get("nvrtcGetErrorString").invoke(result);
            return s.getString(0) + " (" + result + ")";
        } catch (Throwable t) {
            return "nvrtcResult " + result;
        }
    }

    private int call(String symbol, Object... args) {
        try {
            return (int) calls.get(symbol).invokeWithArguments(args);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException(symbol + " failed", t);
        }
    }

    private void check(int result, String symbol) {
        if (result != 0) {
            throw new CudaException(symbol + " failed: " + errorString(result));
        }
    }
}
