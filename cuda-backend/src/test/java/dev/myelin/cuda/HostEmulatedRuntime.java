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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DeviceRuntime} that runs the backend's real kernel sources on the host: the C++
 * compiler builds every {@code .cu} file (with the generated preamble and {@code cuda_host.h})
 * into one shared library. Memory is host memory; GEMM is a plain column-major loop with cuBLAS's
 * semantics. Blocks run one after another, in one of two ways:
 * <ul>
 * <li>{@link #concurrent()}: the threads of a block run at once, one host thread each, with
 * {@code __syncthreads()} a barrier across them, in the block shapes the backend launches, so
 * the shared-memory trees run as on a device. Thorough but slow (a host thread per GPU thread).</li>
 * <li>{@link #sequential()}: the threads run one after another on the caller's thread; kernels
 * whose threads meet in shared memory get one-thread blocks (the column reduction one-row
 * slices), which compute the same result without the trees. Fast enough for the whole
 * conformance suite.</li>
 * </ul>
 *
 * <p>It checks what can be checked without a GPU: every operation's kernel formulas, the
 * arguments and launch shapes {@link CudaBackend} passes, the broadcast, grid-stride and
 * shared-memory indexing. It is not a GPU: there are no warps (code that relied on lock-step warps
 * would pass here and fail there; these kernels do not), blocks never run concurrently, and the
 * math library is the host's. Its results are never reported as device results.
 */
final class HostEmulatedRuntime implements DeviceRuntime {

    /** One host thread per thread of a block: 256 is the largest block the backend launches. */
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(256, r -> {
        Thread t = new Thread(r, "emulated CUDA thread");
        t.setDaemon(true);
        return t;
    });

    /** Kernels whose threads meet in shared memory across x and y: one thread per block when sequential. */
    private static final Set<String> COOPERATIVE = Set.of("softmax_rows", "argmax_rows", "reduce_rows", "reduce_all",
            "softmax_cross_entropy", "log_softmax_rows", "row_loss_categorical_crossentropy",
            "row_loss_categorical_hinge", "row_loss_cosine_similarity");
    /** Kernels whose x threads are independent and whose y slices meet in shared memory. */
    private static final Set<String> COLUMN_SLICED = Set.of("reduce_columns");

    private static final Path COMPILER = Path.of("/usr/bin/c++");

    private static Path library;

    private final Arena arena = Arena.ofShared();
    private final Map<Long, MemorySegment> memory = new HashMap<>();
    private final Map<String, MethodHandle> kernels = new HashMap<>();
    private final SymbolLookup symbols;
    private final MethodHandle geometry;
    private final MethodHandle thread;

    private final boolean concurrent;

    private HostEmulatedRuntime(Path library, boolean concurrent) {
        this.concurrent = concurrent;
        symbols = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        geometry = linker.downcallHandle(symbols.find("cuda_host_geometry").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        thread = linker.downcallHandle(symbols.find("cuda_host_thread").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** Threads of a block at once, in the backend's block shapes; empty where there is no C++ compiler. */
    static Optional<HostEmulatedRuntime> concurrent() {
        return library().map(lib -> new HostEmulatedRuntime(lib, true));
    }

    /** Threads one after another, shared-memory kernels in one-thread blocks; empty without a C++ compiler. */
    static Optional<HostEmulatedRuntime> sequential() {
        return library().map(lib -> new HostEmulatedRuntime(lib, false));
    }

    /**
     * The kernels built for the host; empty where there is no C++ compiler.
     *
     * @throws IllegalStateException with the compiler's output when the kernels do not build
     */
    private static synchronized Optional<Path> library() {
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
        return Optional.of(library);
    }

    /** Why {@link #concurrent()} and {@link #sequential()} are empty. */
    static String unavailableReason() {
        return "no C++ compiler at " + COMPILER + " to build the kernel sources for the host";
    }

    private static Path build() throws IOException, InterruptedException {
        Path cxx = COMPILER;
        Path dir = Files.createTempDirectory("myelin-cuda-host");
        // The loaded library needs no file once mapped; the directory goes when the JVM does.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        List<String> cmd = new ArrayList<>(List.of(cxx.toString(), "-std=c++17", "-O1", "-fPIC", "-shared",
                "-ffp-contract=off", "-pthread", "-Wall", "-Werror", "-Wno-unused-function", "-I", dir.toString()));
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

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary directory left behind is harmless
        }
    }

    private MemorySegment segment(DeviceBuffer b) {
        MemorySegment s = memory.get(b.address());
        if (s == null) {
            throw new IllegalArgumentException("no emulated allocation at " + b.address());
        }
        return s;
    }

    /** Allocations not yet freed. */
    int allocations() {
        return memory.size();
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
        int bx = concurrent || !COOPERATIVE.contains(name) ? blockX : 1;
        int by = concurrent || !(COOPERATIVE.contains(name) || COLUMN_SLICED.contains(name)) ? blockY : 1;
        try {
            if ((int) geometry.invokeExact(gridX, bx, by, concurrent ? bx * by : 1) != 0) {
                throw new CudaException("emulated launch of " + name + ": no barrier for " + bx + " x " + by);
            }
            for (int b = 0; b < gridX; b++) {
                List<Callable<Void>> block = new ArrayList<>();
                for (int y = 0; y < by; y++) {
                    for (int x = 0; x < bx; x++) {
                        int bi = b;
                        int xi = x;
                        int yi = y;
                        block.add(() -> {
                            try {
                                thread.invokeExact(bi, xi, yi);
                                kernel.invokeWithArguments(values);
                            } catch (Throwable t) {
                                throw new CudaException("emulated thread (" + xi + ", " + yi + ") of block " + bi
                                        + " of " + name + " failed", t);
                            }
                            return null;
                        });
                    }
                }
                if (concurrent) {
                    for (Future<Void> f : THREADS.invokeAll(block)) {
                        f.get();
                    }
                } else {
                    for (Callable<Void> c : block) {
                        c.call();
                    }
                }
            }
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (RuntimeException e) {
            throw e;
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
        return "host emulation of the CUDA kernel sources (no GPU), threads " + (concurrent ? "concurrent" : "sequential");
    }

    @Override
    public void close() {
        memory.clear();
        arena.close();
    }
}
