package dev.myelin.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code java.lang.foreign} bindings of cuBLAS and NVRTC, exercised end to end without a GPU:
 * the C compiler builds host-memory stand-ins with the libraries' prototypes (test resources
 * {@code stubs/*.c}), and {@link ForeignBlas} and {@link ForeignNvrtc} load them by path exactly as
 * they load the real libraries. This checks every downcall descriptor links and that arguments
 * arrive in order and intact; it says nothing about the real libraries' numerics, which the device
 * tests cover. Skipped where no C compiler is installed.
 */
class ForeignBindingTest {

    @TempDir
    static Path dir;

    static Path cublas;
    static Path nvrtc;

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        Optional<Path> cc = Stream.of("/usr/bin/cc", "/usr/bin/gcc").map(Path::of).filter(Files::isExecutable).findFirst();
        if (cc.isEmpty()) {
            return;
        }
        cublas = compile(cc.get(), "cublas_stand_in.c", "libcublas.so.13");
        nvrtc = compile(cc.get(), "nvrtc_stand_in.c", "libnvrtc.so.13");
    }

    private static Path compile(Path cc, String source, String soname) throws IOException, InterruptedException {
        Path c = dir.resolve(source);
        try (InputStream in = ForeignBindingTest.class.getResourceAsStream("stubs/" + source)) {
            Files.write(c, in.readAllBytes());
        }
        Path lib = dir.resolve(soname);
        Process p = new ProcessBuilder(cc.toString(), "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", lib.toString(),
                c.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail("building " + source + " failed:\n" + out);
        }
        return lib;
    }

    private static void assumeBuilt() {
        Assumptions.assumeTrue(cublas != null, "no C compiler (/usr/bin/cc or /usr/bin/gcc) to build the stand-ins");
    }

    @Test
    void sgemmArgumentsArriveInOrderAndTheSwapGivesTheRowMajorProduct() throws Throwable {
        assumeBuilt();
        long stream = 0x5eed_0000L;
        Random r = new Random(7);
        try (ForeignBlas blas = new ForeignBlas(cublas, Optional.empty(), stream); Arena arena = Arena.ofConfined()) {
            assertEquals("cuBLAS 13.1.0 (" + cublas + ") via java.lang.foreign", blas.description());
            MethodHandle lastStream = Linker.nativeLinker().downcallHandle(
                    SymbolLookup.libraryLookup(cublas, Arena.global()).find("stand_in_last_stream").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
            assertEquals(stream, ((MemorySegment) lastStream.invokeExact()).address());
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = 5;
                    int n = 3;
                    int k = 7;
                    int aRows = ta ? k : m;
                    int aCols = ta ? m : k;
                    int bRows = tb ? n : k;
                    int bCols = tb ? k : n;
                    float[] a = new float[aRows * aCols];
                    float[] b = new float[bRows * bCols];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = r.nextFloat() - 0.5f;
                    }
                    for (int i = 0; i < b.length; i++) {
                        b[i] = r.nextFloat() - 0.5f;
                    }
                    float[] c = new float[m * n];
                    java.util.Arrays.fill(c, Float.NaN);  // beta == 0: never read
                    MemorySegment sa = arena.allocateFrom(JAVA_FLOAT, a);
                    MemorySegment sb = arena.allocateFrom(JAVA_FLOAT, b);
                    MemorySegment sc = arena.allocateFrom(JAVA_FLOAT, c);
                    ColumnMajorGemm call = ColumnMajorGemm.forRowMajor(ta, tb, aRows, aCols, bRows, bCols);
                    blas.sgemm(call, 2f, buffer(sb), buffer(sa), 0f, buffer(sc));
                    float[] out = sc.toArray(JAVA_FLOAT);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int l = 0; l < k; l++) {
                                s += (double) (ta ? a[l * aCols + i] : a[i * aCols + l])
                                        * (tb ? b[j * bCols + l] : b[l * bCols + j]);
                            }
                            assertEquals(2 * s, out[i * n + j], 1e-5, "transA=" + ta + " transB=" + tb + " at " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aFailingStatusIsNamed() {
        assumeBuilt();
        try (ForeignBlas blas = new ForeignBlas(cublas, Optional.empty(), 0); Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(JAVA_FLOAT, 4);
            // ldc 1 < m 2: cuBLAS answers CUBLAS_STATUS_INVALID_VALUE
            CudaException e = assertThrows(CudaException.class, () -> blas.sgemm(
                    new ColumnMajorGemm(false, false, 2, 1, 1, 2, 1, 1), 1f, buffer(s), buffer(s), 0f, buffer(s)));
            assertEquals("cublasSgemm_v2 failed: CUBLAS_STATUS_INVALID_VALUE (7)", e.getMessage());
        }
    }

    @Test
    void nvrtcPassesSourceNameAndOptionsAndReturnsTerminatedPtx() {
        assumeBuilt();
        ForeignNvrtc n = new ForeignNvrtc(nvrtc);
        assertEquals("13.0", n.version());
        assertEquals(List.of(75, 80, 86, 90), java.util.Arrays.stream(n.supportedArchs()).boxed().toList());
        String source = KernelSource.ROWS.source();
        byte[] ptx = n.compile(source, "rows.cu", List.of("--gpu-architecture=compute_90", "-lineinfo"), false);
        assertEquals(0, ptx[ptx.length - 1], "PTX must end with NUL for cuModuleLoadData");
        String text = new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
        assertEquals("// rows.cu (" + source.getBytes(StandardCharsets.UTF_8).length
                + " bytes) options: --gpu-architecture=compute_90 -lineinfo", text);
        byte[] cubin = n.compile(source, "rows.cu", List.of("--gpu-architecture=sm_90"), true);
        assertTrue(new String(cubin, StandardCharsets.US_ASCII).endsWith("options: --gpu-architecture=sm_90"));
    }

    @Test
    void nvrtcCompileErrorsCarryTheLog() {
        assumeBuilt();
        ForeignNvrtc n = new ForeignNvrtc(nvrtc);
        KernelCompileException e = assertThrows(KernelCompileException.class,
                () -> n.compile("#error broken\n", "bad.cu", List.of(), false));
        assertEquals("NVRTC 13.0 could not compile bad.cu (NVRTC_ERROR_COMPILATION (6), options []):\n"
                + "bad.cu(1): error: stand-in rejects #error", e.getMessage());
    }

    @Test
    void aLibraryWithoutTheSymbolsIsRefusedByName() {
        assumeBuilt();
        CudaException e = assertThrows(CudaException.class, () -> new ForeignNvrtc(cublas));
        assertTrue(e.getMessage().startsWith("symbol nvrtc"), e.getMessage());
        assertTrue(e.getMessage().endsWith("not found in " + cublas), e.getMessage());
    }

    /** Where the CUDA headers are installed, each bound prototype has the arity the descriptor declares. */
    @Test
    void descriptorsMatchTheHeadersWhereInstalled() throws IOException {
        Path include = Path.of("/usr/local/cuda/include");
        Path cublasH = include.resolve("cublas_api.h");
        Path nvrtcH = include.resolve("nvrtc.h");
        Assumptions.assumeTrue(Files.isRegularFile(cublasH) && Files.isRegularFile(nvrtcH),
                "CUDA headers cublas_api.h and nvrtc.h not installed in " + include);
        checkArity(Files.readString(cublasH), ForeignBlas.SIGNATURES);
        checkArity(Files.readString(nvrtcH), ForeignNvrtc.SIGNATURES);
    }

    private static void checkArity(String header, java.util.Map<String, FunctionDescriptor> signatures) {
        String flat = header.replaceAll("\\s+", " ");
        signatures.forEach((name, fd) -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + name + "\\s*\\(([^)]*)\\)").matcher(flat);
            assertTrue(m.find(), name + " not declared");
            String params = m.group(1).trim();
            int arity = params.isEmpty() || params.equals("void") ? 0 : params.split(",").length;
            assertEquals(fd.argumentLayouts().size(), arity, name + "(" + params + ")");
        });
    }

    private static DeviceBuffer buffer(MemorySegment s) {
        return new DeviceBuffer(new CUdeviceptr(), s.address());
    }
}
