package dev.myelin.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * The driver, asked through JCuda's driver binding (which needs only {@code libcuda.so.1}).
 * Loading that binding can fail in ways Java reports as errors (UnsatisfiedLinkError, then
 * NoClassDefFoundError on every later use); the first failure is kept and reported each time.
 */
final class JCudaDriverQuery implements DriverQuery {

    private static volatile String loadFailure;

    @Override
    public Survey survey() {
        if (loadFailure != null) {
            return Survey.failed(loadFailure);
        }
        try {
            return ask();
        } catch (LinkageError e) {
            loadFailure = "JCuda's driver binding could not load (" + e + ")";
            return Survey.failed(loadFailure);
        } catch (Throwable t) {
            return Survey.failed("asking the CUDA driver failed: " + t);
        }
    }

    private static Survey ask() {
        int init = JCudaDriver.cuInit(0);
        if (init != 0) {
            return Survey.failed("cuInit failed: " + CudaCalls.error(init)
                    + (init == 100 ? ": the driver sees no GPU" : ""));
        }
        int[] v = new int[1];
        CudaCalls.check(JCudaDriver.cuDriverGetVersion(v), "cuDriverGetVersion");
        int[] count = new int[1];
        CudaCalls.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        List<CudaDevice> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            CUdevice d = new CUdevice();
            CudaCalls.check(JCudaDriver.cuDeviceGet(d, i), "cuDeviceGet");
            byte[] name = new byte[256];
            CudaCalls.check(JCudaDriver.cuDeviceGetName(name, name.length, d), "cuDeviceGetName");
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            long[] memory = new long[1];
            CudaCalls.check(JCudaDriver.cuDeviceTotalMem(memory, d), "cuDeviceTotalMem");
            devices.add(new CudaDevice(i, new String(name, 0, end, StandardCharsets.UTF_8),
                    attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), memory[0],
                    attribute(d, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                    attribute(d, CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED) != 0));
        }
        return Survey.of(v[0], devices);
    }

    private static int attribute(CUdevice d, int attribute) {
        int[] value = new int[1];
        CudaCalls.check(JCudaDriver.cuDeviceGetAttribute(value, attribute, d), "cuDeviceGetAttribute(" + attribute + ")");
        return value[0];
    }
}
