package dev.myelin.cuda;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Two page-locked host buffers through which tensors are copied. Copies from pinned memory are
 * truly asynchronous and run at full bus speed; Java arrays are not pinned. A transfer goes in
 * chunks of {@link #CHUNK_FLOATS}, alternating buffers, so filling one buffer overlaps the copy of
 * the other; an event per buffer says when its last copy has finished and it may be refilled.
 */
final class HostStaging implements AutoCloseable {

    /** 4 MiB per buffer: large enough to reach full copy bandwidth, small enough to pin cheaply. */
    static final int CHUNK_FLOATS = 1 << 20;

    private final CUstream stream;
    private final Pointer[] host = new Pointer[2];
    private final FloatBuffer[] view = new FloatBuffer[2];
    private final CUevent[] done = new CUevent[2];
    private final boolean[] pending = new boolean[2];
    private int next;

    HostStaging(CUstream stream) {
        this.stream = stream;
        try {
            for (int i = 0; i < 2; i++) {
                host[i] = new Pointer();
                CudaCalls.check(JCudaDriver.cuMemAllocHost(host[i], (long) CHUNK_FLOATS * Float.BYTES), "cuMemAllocHost");
                view[i] = host[i].getByteBuffer(0, (long) CHUNK_FLOATS * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                done[i] = new CUevent();
                CudaCalls.check(JCudaDriver.cuEventCreate(done[i], CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Enqueues the upload of {@code count} floats of {@code src[offset..]} to {@code dst}. */
    void upload(float[] src, int offset, int count, CUdeviceptr dst) {
        for (long done = 0; done < count; done += CHUNK_FLOATS) {
            int n = (int) Math.min(CHUNK_FLOATS, count - done);
            int b = acquire();
            view[b].clear();
            view[b].put(src, offset + (int) done, n);
            CudaCalls.check(JCudaDriver.cuMemcpyHtoDAsync(dst.withByteOffset(done * Float.BYTES), host[b],
                    (long) n * Float.BYTES, stream), "cuMemcpyHtoDAsync");
            release(b);
        }
    }

    /** Copies {@code count} floats of {@code src} into {@code dst[offset..]} after all enqueued work. */
    void download(CUdeviceptr src, float[] dst, int offset, int count) {
        for (long done = 0; done < count; done += CHUNK_FLOATS) {
            int n = (int) Math.min(CHUNK_FLOATS, count - done);
            int b = acquire();
            CudaCalls.check(JCudaDriver.cuMemcpyDtoHAsync(host[b], src.withByteOffset(done * Float.BYTES),
                    (long) n * Float.BYTES, stream), "cuMemcpyDtoHAsync");
            release(b);
            wait(b);
            view[b].clear();
            view[b].get(dst, offset + (int) done, n);
        }
    }

    /** The next buffer, once its previous copy has finished. */
    private int acquire() {
        int b = next;
        next = 1 - next;
        wait(b);
        return b;
    }

    private void release(int b) {
        CudaCalls.check(JCudaDriver.cuEventRecord(done[b], stream), "cuEventRecord");
        pending[b] = true;
    }

    private void wait(int b) {
        if (pending[b]) {
            CudaCalls.check(JCudaDriver.cuEventSynchronize(done[b]), "cuEventSynchronize");
            pending[b] = false;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < 2; i++) {
            if (done[i] != null) {
                if (pending[i]) {
                    JCudaDriver.cuEventSynchronize(done[i]);
                }
                JCudaDriver.cuEventDestroy(done[i]);
                done[i] = null;
            }
            if (host[i] != null) {
                JCudaDriver.cuMemFreeHost(host[i]);
                host[i] = null;
            }
        }
    }
}
