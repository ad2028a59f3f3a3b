package dev.myelin.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Device memory as both bindings need it: JCuda's {@link CUdeviceptr} for JCuda and JCublas, and
 * the raw address for libraries called through {@code java.lang.foreign}.
 */
record DeviceBuffer(CUdeviceptr pointer, long address) {

    static DeviceBuffer of(CUdeviceptr pointer) {
        return new DeviceBuffer(pointer, NativeHandles.address(pointer));
    }
}
