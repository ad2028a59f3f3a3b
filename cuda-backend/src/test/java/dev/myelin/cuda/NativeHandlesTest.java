package dev.myelin.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import org.junit.jupiter.api.Test;

/**
 * Reading JCuda handles' raw values needs no native code, so it is checked here: a fresh handle
 * is 0, and a device pointer's address includes its byte offset, as JCuda's native code computes it.
 */
class NativeHandlesTest {

    @Test
    void deviceAddressIsNativePointerPlusByteOffset() {
        CUdeviceptr p = new CUdeviceptr();
        assertEquals(0L, NativeHandles.address(p));
        assertEquals(4096L, NativeHandles.address(p.withByteOffset(4096)));
        assertEquals(4096L + 64, NativeHandles.address(p.withByteOffset(4096).withByteOffset(64)));
        assertEquals(4096L, DeviceBuffer.of(p.withByteOffset(4096)).address());
    }

    @Test
    void aStreamHandleIsItsNativePointer() {
        assertEquals(0L, NativeHandles.handle(new CUstream()));
    }
}
