package dev.myelin.cuda;

import jcuda.Pointer;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS through JCublas 12.6, whose native part links {@code libcublas.so.12} by versioned symbols:
 * it loads only where CUDA 12's cuBLAS is installed. Scalars are passed from the host (cuBLAS's
 * default pointer mode), which cuBLAS reads before the call returns.
 */
final class JCublasBlas implements Blas {

    private final cublasHandle handle = new cublasHandle();
    private final float[] alpha = new float[1];
    private final float[] beta = new float[1];
    private final String version;
    private boolean closed;

    JCublasBlas(CUstream stream) {
        Blas.check(JCublas2.cublasCreate(handle), "cublasCreate");
        try {
            Blas.check(JCublas2.cublasSetStream(handle, new cudaStream_t(stream)), "cublasSetStream");
            int[] v = new int[1];
            Blas.check(JCublas2.cublasGetVersion(handle, v), "cublasGetVersion");
            version = CudaVersions.cublas(v[0]);
        } catch (RuntimeException e) {
            JCublas2.cublasDestroy(handle);
            throw e;
        }
    }

    @Override
    public void sgemm(ColumnMajorGemm call, float alpha, DeviceBuffer first, DeviceBuffer second, float beta,
            DeviceBuffer c) {
        this.alpha[0] = alpha;
        this.beta[0] = beta;
        Blas.check(JCublas2.cublasSgemm(handle, Blas.operation(call.transFirst()), Blas.operation(call.transSecond()),
                call.m(), call.n(), call.k(), Pointer.to(this.alpha), first.pointer(), call.ldFirst(),
                second.pointer(), call.ldSecond(), Pointer.to(this.beta), c.pointer(), call.ldc()), "cublasSgemm");
    }

    @Override
    public String description() {
        return "cuBLAS " + version + " via JCublas";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            JCublas2.cublasDestroy(handle);
        }
    }
}
