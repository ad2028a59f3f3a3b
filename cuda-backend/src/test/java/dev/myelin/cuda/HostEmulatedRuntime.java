package dev.myelin.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DeviceRuntime} that runs the backend's real kernel sources on the host: the C++
 * compiler builds every {@code .cu} file (with the generated preamble and {@code cuda_host.h})
 * into one shared library, and each launch calls the kernel function once per emulated thread,
 * one after another. Memory is host memory; GEMM is a plain column-major loop with cuBLAS's
 * semantics.
 *
 * <p>It checks what can be checked without a GPU: every operation's kernel formulas, the
 * arguments {@link CudaBackend} passes and their order, the broadcast and grid-stride indexing.
 * It is not a GPU: kernels that cooperate through shared memory run as one-thread blocks (their
 * shared-memory trees are not exercised), there is no concurrency, and the math library is the
 * host's. Its results are never reported as device results.
 */
final class HostEmulatedRuntime implements DeviceRuntime {

    /** Kernels whose threads cooperate through shared memory: one thread per block on the host. */
    private static final Set<String> COOPERATIVE = Set.of("softmax_rows", "argmax_rows", "reduce_rows", "reduce_all",
            "softmax_cross_entropy");
    /** Kernels whose x threads are independent but whose y slices meet in shared memory. */
    private static final Set<String> COLUMN_SLICED = Set.of("reduce_columns");

    private static final Path COMPILER = Path.of("/usr/bin/c++");

    private static Path library;

    private final Arena arena = Arena.ofShared();
    private final Map<Long, MemorySegment> memory = new HashMap<>();
    private final Map<String, MethodHandle> kernels = new HashMap<>();
    private final SymbolLookup symbols;
    private final MethodHandle geometry;
    private final MethodHandle thread;

    private HostEmulatedRuntime(Path library) {
        symbols = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        geometry = linker.downcallHandle(symbols.find("cuda_host_geometry").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT));
        thread = linker.downcallHandle(symbols.find("cuda_host_thread").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /**
     * A runtime over the kernels built for the host; empty where there is no C++ compiler.
     *
     * @throws IllegalStateException with the compiler's output when the kernels do not build
     */
    static synchronized Optional<HostEmulatedRuntime> open() {
        if (!Files.isExecutable(COMPILER)) {
            return Optional.empty();
        }
        if (library == null) {
            try {
                library = build();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("building the kernels for the host failed", e);
            }
        }
        return Optional.of(new HostEmulatedRuntime(library));
    }

    /** Why {@link #open()} is empty. */
    static String unavailableReason() {
        return "no C++ compiler at " + COMPILER + " to build the kernel sources for the host";
    }

    private static Path build() throws IOException, InterruptedException {
        Path cxx = COMPILER;
        Path dir = Files.createTempDirectory("myelin-cuda-host");
        dir.toFile().deleteOnExit();
        List<String> cmd = new ArrayList<>(List.of(cxx.toString(), "-std=c++17", "-O1", "-fPIC", "-shared",
                "-ffp-contract=off", "-Wall", "-Werror", "-Wno-unused-function", "-I", dir.toString()));
        for (String file : List.of("cuda_host.h", "cuda_host.cpp")) {
            try (InputStream in = HostEmulatedRuntime.class.getResourceAsStream("emulation/" + file)) {
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        cmd.add(dir.resolve("cuda_host.cpp").toString());
        for (KernelSource s : KernelSource.values()) {
            Path cu = Files.writeString(dir.resolve(s.fileName() + ".cpp"),
                    "#include \"cuda_host.h\"\n" + s.source());
            cmd.add(cu.toString());
        }
        Path lib = dir.resolve("libmyelin_cuda_host.so");
        cmd.addAll(List.of("-o", lib.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("building the kernels for the host failed: " + String.join(" ", cmd)
                    + "\n" + out);
        }
        return lib;
    }

    private MemorySegment segment(DeviceBuffer b) {
        MemorySegment s = memory.get(b.address());
        if (s == null) {
            throw new IllegalArgumentException("no emulated allocation at " + b.address());
        }
        return s;
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        MemorySegment s = arena.allocate(bytes, 16);
        memory.put(s.address(), s);
        return new DeviceBuffer(null, s.address());
    }

    @Override
    public void free(DeviceBuffer buffer) {
        segment(buffer);
        memory.remove(buffer.address());  // the arena frees it on close
    }

    @Override
    public void upload(float[] src, int offset, int count, DeviceBuffer dst) {
        MemorySegment.copy(src, offset, segment(dst), JAVA_FLOAT, 0, count);
    }

    @Override
    public void download(DeviceBuffer src, float[] dst, int offset, int count) {
        MemorySegment.copy(segment(src), JAVA_FLOAT, 0, dst, offset, count);
    }

    @Override
    public void fill32(DeviceBuffer dst, int bits, int count) {
        MemorySegment s = segment(dst);
        for (int i = 0; i < count; i++) {
            s.setAtIndex(JAVA_INT, i, bits);
        }
    }

    @Override
    public void launch(KernelSource source, String name, int gridX, int blockX, int blockY, Object... args) {
        MethodHandle kernel = kernels.computeIfAbsent(name, n -> bind(n, args));
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = switch (args[i]) {
                case null -> MemorySegment.NULL;
                case DeviceBuffer b -> MemorySegment.ofAddress(segment(b).address());
                default -> args[i];
            };
        }
        int bx = COOPERATIVE.contains(name) ? 1 : blockX;
        int by = COOPERATIVE.contains(name) || COLUMN_SLICED.contains(name) ? 1 : blockY;
        try {
            geometry.invokeExact(gridX, bx, by);
            for (int b = 0; b < gridX; b++) {
                for (int y = 0; y < by; y++) {
                    for (int x = 0; x < bx; x++) {
                        thread.invokeExact(b, x, y);
                        kernel.invokeWithArguments(values);
                    }
                }
            }
        } catch (Throwable t) {
            throw new CudaException("emulated launch of " + name + " failed", t);
        }
    }

    private MethodHandle bind(String name, Object[] args) {
        MemoryLayout[] layouts = new MemoryLayout[args.length];
        for (int i = 0; i < args.length; i++) {
            layouts[i] = switch (args[i]) {
                case null -> ADDRESS;
                case DeviceBuffer b -> ADDRESS;
                case Integer v -> JAVA_INT;
                case Float v -> JAVA_FLOAT;
                case Long v -> JAVA_LONG;
                default -> throw new IllegalArgumentException("kernel argument of unsupported type " + args[i].getClass());
            };
        }
        MemorySegment symbol = symbols.find(name).orElseThrow(() -> new CudaException("no kernel " + name));
        return Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.ofVoid(layouts));
    }

    @Override
    public void sgemm(ColumnMajorGemm g, float alpha, DeviceBuffer first, DeviceBuffer second, float beta,
            DeviceBuffer c) {
        MemorySegment a = segment(first);
        MemorySegment b = segment(second);
        MemorySegment out = segment(c);
        for (int j = 0; j < g.n(); j++) {
            for (int i = 0; i < g.m(); i++) {
                double s = 0;
                for (int l = 0; l < g.k(); l++) {
                    double av = a.getAtIndex(JAVA_FLOAT, g.transFirst() ? l + (long) i * g.ldFirst() : i + (long) l * g.ldFirst());
                    double bv = b.getAtIndex(JAVA_FLOAT, g.transSecond() ? j + (long) l * g.ldSecond() : l + (long) j * g.ldSecond());
                    s += av * bv;
                }
                long at = i + (long) j * g.ldc();
                out.setAtIndex(JAVA_FLOAT, at, beta == 0 ? (float) (alpha * s)
                        : (float) (alpha * s + beta * out.getAtIndex(JAVA_FLOAT, at)));
            }
        }
    }

    @Override
    public void synchronize() {
        // everything ran when it was launched
    }

    @Override
    public int maxBlocks() {
        return 3;  // few blocks, so the grid-stride loops do most of the covering
    }

    @Override
    public String describe() {
        return "host emulation of the CUDA kernel sources (no GPU)";
    }

    @Override
    public void close() {
        memory.clear();
        arena.close();
    }
}
