package dev.myelin.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * cuBLAS through the JDK's foreign-function API, for any installed major version (CUDA 13's
 * {@code libcublas.so.13}, which JCublas 12.6 cannot load, or CUDA 12's). It binds the four
 * {@code _v2} entry points the backend uses; the prototypes are those of {@code cublas_api.h}:
 *
 * <pre>
 * cublasStatus_t cublasCreate_v2(cublasHandle_t *handle);
 * cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId);
 * cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version);
 * cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
 *                               int m, int n, int k, const float *alpha, const float *A, int lda,
 *                               const float *B, int ldb, const float *beta, float *C, int ldc);
 * cublasStatus_t cublasDestroy_v2(cublasHandle_t handle);
 * </pre>
 *
 * Enums are C {@code int}s; handles and device pointers are addresses.
 */
final class ForeignBlas implements Blas {

    /** The bound symbols and their C signatures, in one place for the binding and its tests. */
    static final Map<String, FunctionDescriptor> SIGNATURES = signatures();

    private final MethodHandle create;
    private final MethodHandle setStream;
    private final MethodHandle getVersion;
    private final MethodHandle sgemm;
    private final MethodHandle destroy;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment alpha;
    private final MemorySegment beta;
    private final String description;
    private boolean closed;

    /**
     * Loads {@code cublas} (after {@code cublasLt}, which it needs, when given) and creates a handle
     * bound to {@code stream}, a raw {@code cudaStream_t}.
     */
    ForeignBlas(Path cublas, Optional<Path> cublasLt, long stream) {
        // The libraries stay loaded for the life of the JVM: a GPU library unloaded while the
        // driver still holds its kernels is not worth the few megabytes of address space.
        cublasLt.ifPresent(lt -> SymbolLookup.libraryLookup(lt, Arena.global()));
        SymbolLookup lookup = SymbolLookup.libraryLookup(cublas, Arena.global());
        Linker linker = Linker.nativeLinker();
        create = bind(linker, lookup, "cublasCreate_v2");
        setStream = bind(linker, lookup, "cublasSetStream_v2");
        getVersion = bind(linker, lookup, "cublasGetVersion_v2");
        sgemm = bind(linker, lookup, "cublasSgemm_v2");
        destroy = bind(linker, lookup, "cublasDestroy_v2");
        alpha = arena.allocate(JAVA_FLOAT);
        beta = arena.allocate(JAVA_FLOAT);
        try {
            MemorySegment out = arena.allocate(ADDRESS);
            Blas.check((int) create.invokeExact(out), "cublasCreate_v2");
            handle = out.get(ADDRESS, 0);
        } catch (CudaException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new CudaException("cublasCreate_v2 failed", t);
        }
        try {
            Blas.check((int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cublasSetStream_v2");
            MemorySegment version = arena.allocate(JAVA_INT);
            Blas.check((int) getVersion.invokeExact(handle, version), "cublasGetVersion_v2");
            description = "cuBLAS " + CudaVersions.cublas(version.get(JAVA_INT, 0)) + " (" + cublas
                    + ") via java.lang.foreign";
        } catch (Throwable t) {
            close();
            throw t instanceof CudaException c ? c : new CudaException("binding cuBLAS at " + cublas + " failed", t);
        }
    }

    private static Map<String, FunctionDescriptor> signatures() {
        Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        m.put("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        m.put("cublasSgemm_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        m.put("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        return Map.copyOf(m);
    }

    static MethodHandle bind(Linker linker, SymbolLookup lookup, String symbol) {
        MemorySegment address = lookup.find(symbol)
                .orElseThrow(() -> new CudaException("symbol " + symbol + " not found in the cuBLAS library"));
        return linker.downcallHandle(address, SIGNATURES.get(symbol));
    }

    @Override
    public void sgemm(ColumnMajorGemm call, float alpha, DeviceBuffer first, DeviceBuffer second, float beta,
            DeviceBuffer c) {
        this.alpha.set(JAVA_FLOAT, 0, alpha);
        this.beta.set(JAVA_FLOAT, 0, beta);
        int status;
        try {
            status = (int) sgemm.invokeExact(handle, Blas.operation(call.transFirst()),
                    Blas.operation(call.transSecond()), call.m(), call.n(), call.k(), this.alpha,
                    MemorySegment.ofAddress(first.address()), call.ldFirst(),
                    MemorySegment.ofAddress(second.address()), call.ldSecond(), this.beta,
                    MemorySegment.ofAddress(c.address()), call.ldc());
        } catch (Throwable t) {
            throw new CudaException("cublasSgemm_v2 failed", t);
        }
        Blas.check(status, "cublasSgemm_v2");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (handle != null) {
                int status = (int) destroy.invokeExact(handle);
                Blas.check(status, "cublasDestroy_v2");
            }
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cublasDestroy_v2 failed", t);
        } finally {
            arena.close();
        }
    }
}
